// Service providers: the built-in PBX (always there, host = this server) and external SIP
// providers. Deleting one whose accounts are assigned to devices needs an explicit cascade.
import type { Provider as ProviderRow } from '@switchboard/db';
import type { Provider, ProviderInput } from '@switchboard/contracts';
import type { ApiContext, Actor } from '../context.ts';
import { ApiError, notFound } from '../errors/api-error.ts';
import { audit, changedFields } from '../audit/audit.ts';
import { configChanged } from '../live/notify.ts';

export class ProviderService {
  constructor(private readonly ctx: ApiContext) {}

  private view(p: ProviderRow, counts: ReadonlyMap<string, number>): Provider {
    return {
      id: p.id,
      name: p.name,
      host: p.builtIn ? this.ctx.sip.host() : (p.host ?? ''),
      port: p.builtIn ? this.ctx.sip.port() : p.port,
      proxy: p.proxy,
      transport: p.transport,
      builtIn: p.builtIn,
      accountCount: counts.get(p.id) ?? 0,
    };
  }

  async list(tenantId: string): Promise<{ items: Provider[]; total: number }> {
    const counts = await this.ctx.repos.providerSettings.accountCounts(tenantId);
    const items = (await this.ctx.repos.providers.list(tenantId)).map((p) => this.view(p, counts));
    return { items, total: items.length };
  }

  async get(tenantId: string, id: string): Promise<Provider> {
    const p = await this.ctx.repos.providers.findById(tenantId, id);
    if (!p) throw notFound('provider');
    return this.view(p, await this.ctx.repos.providerSettings.accountCounts(tenantId));
  }

  async create(actor: Actor, input: ProviderInput): Promise<Provider> {
    const p = await this.ctx.repos.providers.create({ tenantId: actor.tenantId, ...input });
    await audit(
      this.ctx,
      actor,
      'provider.create',
      { type: 'provider', id: p.id },
      { name: p.name, host: p.host },
    );
    return this.view(p, new Map());
  }

  async update(actor: Actor, id: string, patch: Partial<ProviderInput>): Promise<Provider> {
    const existing = await this.ctx.repos.providers.findById(actor.tenantId, id);
    if (!existing) throw notFound('provider');
    if (existing.builtIn) {
      const fixed = (['host', 'port', 'proxy', 'transport'] as const).filter((k) => patch[k] !== undefined);
      if (fixed.length > 0) {
        throw new ApiError(
          'validation_failed',
          'the built-in PBX is this server: only its name can change',
          fixed.map((field) => ({ field, message: 'cannot change on the built-in PBX provider' })),
        );
      }
    }
    await this.ctx.repos.providerSettings.update(actor.tenantId, id, patch);
    await audit(
      this.ctx,
      actor,
      'provider.update',
      { type: 'provider', id },
      { changed: changedFields(patch) },
    );
    // Devices using its accounts get the new server settings.
    const accounts = await this.ctx.repos.sipAccounts.list({ tenantId: actor.tenantId, providerId: id });
    const devices = await this.ctx.repos.devices.listByAccounts(
      actor.tenantId,
      accounts.map((a) => a.id),
    );
    await configChanged(
      this.ctx,
      actor.tenantId,
      devices.map((d) => d.id),
    );
    return this.get(actor.tenantId, id);
  }

  async remove(actor: Actor, id: string, cascade: boolean): Promise<void> {
    const { repos } = this.ctx;
    const existing = await repos.providers.findById(actor.tenantId, id);
    if (!existing) throw notFound('provider');
    if (existing.builtIn) throw new ApiError('forbidden', 'the built-in PBX provider cannot be deleted');
    const accounts = await repos.sipAccounts.list({ tenantId: actor.tenantId, providerId: id });
    const devices = await repos.devices.listByAccounts(
      actor.tenantId,
      accounts.map((a) => a.id),
    );
    if (devices.length > 0 && !cascade) {
      throw new ApiError(
        'provider_in_use',
        `${devices.length} device(s) use accounts of this provider; remove them from the devices first, or delete with ?cascade=true to take them off those devices`,
        devices.map((d) => ({ field: 'devices', message: `${d.name} (${d.id})` })),
      );
    }
    await repos.providers.remove(actor.tenantId, id);
    await audit(
      this.ctx,
      actor,
      'provider.delete',
      { type: 'provider', id },
      {
        name: existing.name,
        accountsDeleted: accounts.length,
        devicesAffected: devices.map((d) => d.id),
      },
    );
    await configChanged(
      this.ctx,
      actor.tenantId,
      devices.map((d) => d.id),
    );
  }
}
