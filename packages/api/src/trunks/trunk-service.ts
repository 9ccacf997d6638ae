// SIP trunks, outbound routes, DIDs and the external-call policy of an organisation. The rules
// on values live in the repository (every bad field reported); here: DIDs must name an
// extension, passwords never leave, every change is audited and the PBX told.
import type { Trunk as TrunkRow } from '@switchboard/db';
import type {
  Did,
  DidInput,
  OutboundRoute,
  OutboundRouteInput,
  Trunk,
  TrunkInput,
  TrunkPolicy,
} from '@switchboard/contracts';
import type { ApiContext, Actor } from '../context.ts';
import { ApiError, notFound } from '../errors/api-error.ts';
import { audit, changedFields } from '../audit/audit.ts';

export class TrunkService {
  constructor(private readonly ctx: ApiContext) {}

  private view(t: TrunkRow): Trunk {
    return {
      id: t.id,
      name: t.name,
      host: t.host,
      port: t.port,
      transport: t.transport,
      outboundProxy: t.outboundProxy,
      authUsername: t.authUsername,
      hasPassword: t.hasPassword,
      fromUser: t.fromUser,
      fromDomain: t.fromDomain,
      callerId: t.callerId,
      register: t.register,
      codecs: [...t.codecs],
      inboundAddresses: [...t.inboundAddresses],
      enabled: t.enabled,
      registration: (t.register && this.ctx.trunks?.registration(t.id)) || null,
      createdAt: t.createdAt.toISOString(),
      updatedAt: t.updatedAt.toISOString(),
    };
  }

  private changed(): void {
    this.ctx.trunks?.changed();
  }

  async list(tenantId: string): Promise<{ items: Trunk[]; total: number }> {
    const items = (await this.ctx.repos.trunks.list(tenantId)).map((t) => this.view(t));
    return { items, total: items.length };
  }

  async get(tenantId: string, id: string): Promise<Trunk> {
    const t = await this.ctx.repos.trunks.findById(tenantId, id);
    if (!t) throw notFound('trunk');
    return this.view(t);
  }

  async create(actor: Actor, input: TrunkInput): Promise<Trunk> {
    const t = await this.ctx.repos.trunks.create({ tenantId: actor.tenantId, ...input });
    await audit(
      this.ctx,
      actor,
      'trunk.create',
      { type: 'trunk', id: t.id },
      {
        name: t.name,
        host: t.host,
        passwordSet: input.password != null,
      },
    );
    this.changed();
    return this.view(t);
  }

  async update(actor: Actor, id: string, patch: Partial<TrunkInput>): Promise<Trunk> {
    const t = await this.ctx.repos.trunks.update(actor.tenantId, id, patch);
    const { password, ...rest } = patch;
    await audit(
      this.ctx,
      actor,
      'trunk.update',
      { type: 'trunk', id },
      {
        changed: changedFields(rest),
        ...(password !== undefined && { passwordChanged: true }),
      },
    );
    this.changed();
    return this.view(t);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.ctx.repos.trunks.remove(actor.tenantId, id);
    await audit(this.ctx, actor, 'trunk.delete', { type: 'trunk', id });
    this.changed();
  }

  // ─── Outbound routes ──────────────────────────────────────────────────────────────────

  async routes(tenantId: string): Promise<{ items: OutboundRoute[]; total: number }> {
    const items = (await this.ctx.repos.trunks.listRoutes(tenantId)).map(routeView);
    return { items, total: items.length };
  }

  async addRoute(actor: Actor, input: OutboundRouteInput): Promise<OutboundRoute> {
    const r = await this.ctx.repos.trunks.addRoute(actor.tenantId, input);
    await audit(
      this.ctx,
      actor,
      'trunk.route.create',
      { type: 'trunk_route', id: r.id },
      {
        pattern: r.pattern,
        trunkId: r.trunkId,
      },
    );
    return routeView(r);
  }

  async removeRoute(actor: Actor, id: string): Promise<void> {
    await this.ctx.repos.trunks.removeRoute(actor.tenantId, id);
    await audit(this.ctx, actor, 'trunk.route.delete', { type: 'trunk_route', id });
  }

  // ─── DIDs ─────────────────────────────────────────────────────────────────────────────

  async dids(tenantId: string): Promise<{ items: Did[]; total: number }> {
    const items = (await this.ctx.repos.trunks.listDids(tenantId)).map(didView);
    return { items, total: items.length };
  }

  async addDid(actor: Actor, input: DidInput): Promise<Did> {
    const ext = await this.ctx.repos.sipAccounts.findExtension(actor.tenantId, input.extension);
    if (!ext)
      throw new ApiError('validation_failed', `extension: ${input.extension} is no extension of yours`, [
        { field: 'extension', message: 'is no extension of this organisation' },
      ]);
    const d = await this.ctx.repos.trunks.addDid(actor.tenantId, input);
    await audit(
      this.ctx,
      actor,
      'trunk.did.create',
      { type: 'did', id: d.id },
      {
        number: d.number,
        extension: d.extension,
      },
    );
    return didView(d);
  }

  async removeDid(actor: Actor, id: string): Promise<void> {
    await this.ctx.repos.trunks.removeDid(actor.tenantId, id);
    await audit(this.ctx, actor, 'trunk.did.delete', { type: 'did', id });
  }

  // ─── Policy ───────────────────────────────────────────────────────────────────────────

  async policy(tenantId: string): Promise<TrunkPolicy> {
    const p = await this.ctx.repos.trunks.policy(tenantId);
    return {
      externalCalls: p.externalCalls,
      allowedExtensions: p.allowedExtensions && [...p.allowedExtensions],
    };
  }

  async setPolicy(actor: Actor, patch: Partial<TrunkPolicy>): Promise<TrunkPolicy> {
    const p = await this.ctx.repos.trunks.setPolicy(actor.tenantId, patch);
    await audit(
      this.ctx,
      actor,
      'trunk.policy.update',
      { type: 'tenant', id: actor.tenantId },
      {
        externalCalls: p.externalCalls,
        allowedExtensions: p.allowedExtensions === null ? null : p.allowedExtensions.length,
      },
    );
    return {
      externalCalls: p.externalCalls,
      allowedExtensions: p.allowedExtensions && [...p.allowedExtensions],
    };
  }
}

const routeView = (r: OutboundRoute): OutboundRoute => ({
  id: r.id,
  trunkId: r.trunkId,
  pattern: r.pattern,
  strip: r.strip,
  prepend: r.prepend,
  position: r.position,
});

const didView = (d: Did): Did => ({ id: d.id, number: d.number, extension: d.extension, trunkId: d.trunkId });
