// SIP accounts of a provider. On the built-in provider an account is a PBX extension (same row).
// Passwords are write-only; dialing rules are validated with the softphone's own parser.
import { parseDialingRules, type SipAccount, type SipAccountInput } from '@switchboard/contracts';
import type { SipAccount as AccountRow } from '@switchboard/db';
import type { ApiContext, Actor } from '../context.ts';
import { ApiError, assertFields, notFound } from '../errors/api-error.ts';
import { audit, changedFields } from '../audit/audit.ts';
import { configChanged, publishAccounts } from '../live/notify.ts';
import { toAccountViews } from './account-view.ts';

function checkRules(rules: string | undefined): void {
  if (rules === undefined) return;
  const parsed = parseDialingRules(rules);
  if (!parsed.ok) {
    throw new ApiError(
      'validation_failed',
      'the dialing rules have errors (see docs/dialing-rules.md)',
      parsed.problems.map((p) => ({
        field: 'dialingRules',
        message: `line ${p.line}, column ${p.column}: ${p.message}`,
      })),
    );
  }
}

/** What the audit log may say about an account change: field names, never the password. */
function auditDetails(patch: Partial<SipAccountInput>): Record<string, unknown> {
  const { password, ...rest } = patch;
  return { changed: changedFields(rest), ...(password !== undefined ? { passwordChanged: true } : {}) };
}

export class AccountService {
  constructor(private readonly ctx: ApiContext) {}

  private async provider(tenantId: string, providerId: string) {
    const provider = await this.ctx.repos.providers.findById(tenantId, providerId);
    if (!provider) throw notFound('provider');
    return provider;
  }

  private async views(tenantId: string, rows: readonly AccountRow[]): Promise<SipAccount[]> {
    const builtIn = await this.ctx.repos.providers.getBuiltIn(tenantId);
    return toAccountViews(this.ctx, tenantId, rows, builtIn.id);
  }

  async list(tenantId: string, providerId: string | undefined, paging: { limit: number; offset: number }) {
    if (providerId !== undefined) await this.provider(tenantId, providerId);
    const filter = { tenantId, ...(providerId !== undefined ? { providerId } : {}) };
    const rows = await this.ctx.repos.sipAccounts.list({
      ...filter,
      limit: paging.limit,
      offset: paging.offset,
    });
    return { items: await this.views(tenantId, rows), total: await this.ctx.repos.sipAccounts.count(filter) };
  }

  async get(tenantId: string, providerId: string, id: string): Promise<SipAccount> {
    const row = await this.ctx.repos.sipAccounts.findById(tenantId, id);
    if (!row || row.providerId !== providerId) throw notFound('SIP account');
    return (await this.views(tenantId, [row]))[0]!;
  }

  async create(actor: Actor, providerId: string, input: SipAccountInput): Promise<SipAccount> {
    const provider = await this.provider(actor.tenantId, providerId);
    checkRules(input.dialingRules);
    assertFields(
      provider.builtIn &&
        !input.password && {
          field: 'password',
          message: 'is required for an account on the built-in PBX (the extension password)',
        },
      !provider.builtIn &&
        !input.password &&
        input.manualPassword !== true && {
          field: 'password',
          message: 'is required unless it is entered manually on the device',
        },
    );
    const row = await this.ctx.repos.sipAccounts.create({ tenantId: actor.tenantId, providerId, ...input });
    await audit(
      this.ctx,
      actor,
      'account.create',
      { type: 'sip_account', id: row.id },
      { providerId, username: row.username },
    );
    return (await this.views(actor.tenantId, [row]))[0]!;
  }

  async update(
    actor: Actor,
    providerId: string,
    id: string,
    patch: Partial<SipAccountInput>,
  ): Promise<SipAccount> {
    const existing = await this.ctx.repos.sipAccounts.findById(actor.tenantId, id);
    if (!existing || existing.providerId !== providerId) throw notFound('SIP account');
    checkRules(patch.dialingRules);
    if (patch.username !== undefined && patch.username !== existing.username) {
      throw new ApiError(
        'validation_failed',
        'the SIP username cannot change: delete the account and add a new one',
        [{ field: 'username', message: 'cannot change' }],
      );
    }
    const { username: _u, ...rest } = patch;
    const row = await this.ctx.repos.sipAccounts.update(actor.tenantId, id, rest);
    await audit(this.ctx, actor, 'account.update', { type: 'sip_account', id }, auditDetails(patch));
    const devices = await this.ctx.repos.devices.listByAccounts(actor.tenantId, [id]);
    await configChanged(
      this.ctx,
      actor.tenantId,
      devices.map((d) => d.id),
    );
    return (await this.views(actor.tenantId, [row]))[0]!;
  }

  async remove(actor: Actor, providerId: string, id: string, cascade: boolean): Promise<void> {
    const existing = await this.ctx.repos.sipAccounts.findById(actor.tenantId, id);
    if (!existing || existing.providerId !== providerId) throw notFound('SIP account');
    const devices = await this.ctx.repos.devices.listByAccounts(actor.tenantId, [id]);
    if (devices.length > 0 && !cascade) {
      throw new ApiError(
        'account_in_use',
        `the account is assigned to ${devices.length} device(s); remove it from them first, or delete with ?cascade=true`,
        devices.map((d) => ({ field: 'devices', message: `${d.name} (${d.id})` })),
      );
    }
    await this.ctx.repos.sipAccounts.remove(actor.tenantId, id);
    await audit(
      this.ctx,
      actor,
      'account.delete',
      { type: 'sip_account', id },
      {
        username: existing.username,
        devicesAffected: devices.map((d) => d.id),
      },
    );
    await configChanged(
      this.ctx,
      actor.tenantId,
      devices.map((d) => d.id),
    );
  }

  /** Pushes new SIP statuses after a registration change of a built-in extension. */
  async registrationChanged(tenantId: string, username: string): Promise<void> {
    // Registrations come by the thousand under load: no portal listening, no database work.
    if (!this.ctx.hub.hasTenantSubscribers(tenantId)) return;
    const account = await this.ctx.repos.sipAccounts.findExtension(tenantId, username);
    if (account) await publishAccounts(this.ctx, tenantId, [account.id]);
  }
}
