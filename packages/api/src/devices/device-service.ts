// Devices of a contact: 1-4 ordered SIP accounts. Every change the device must know about
// raises its configuration version and tells it over its live channel.
import type { Device, DeviceInput } from '@switchboard/contracts';
import type { ApiContext, Actor } from '../context.ts';
import { notFound } from '../errors/api-error.ts';
import { audit, changedFields } from '../audit/audit.ts';
import { newActivationCode } from '../auth/secrets.ts';
import { announceDeactivation, announceVersions, publishAccounts } from '../live/notify.ts';
import { toDeviceView } from './device-view.ts';

export class DeviceService {
  constructor(private readonly ctx: ApiContext) {}

  async list(tenantId: string, contactId: string | undefined, paging: { limit: number; offset: number }) {
    if (contactId !== undefined && !(await this.ctx.repos.contacts.findById(tenantId, contactId)))
      throw notFound('contact');
    const { items, total } = await this.ctx.repos.devices.list({ tenantId, contactId, ...paging });
    return { items: items.map((d) => toDeviceView(this.ctx, d)), total };
  }

  async get(tenantId: string, id: string): Promise<Device> {
    const d = await this.ctx.repos.devices.findById(tenantId, id);
    if (!d) throw notFound('device');
    return toDeviceView(this.ctx, d);
  }

  async create(actor: Actor, contactId: string, input: DeviceInput): Promise<Device> {
    const d = await this.ctx.repos.devices.create({ tenantId: actor.tenantId, contactId, ...input });
    await this.ctx.repos.activationCodes.issue(d.id, newActivationCode());
    await audit(
      this.ctx,
      actor,
      'device.create',
      { type: 'device', id: d.id },
      { contactId, name: d.name, accountIds: d.accountIds },
    );
    const view = toDeviceView(this.ctx, d);
    this.ctx.hub.publishTenant(actor.tenantId, { type: 'device', device: view });
    await publishAccounts(this.ctx, actor.tenantId, d.accountIds);
    return view;
  }

  async update(actor: Actor, id: string, patch: Partial<DeviceInput>): Promise<Device> {
    const before = await this.ctx.repos.devices.findById(actor.tenantId, id);
    if (!before) throw notFound('device');
    const d = await this.ctx.repos.devices.update(actor.tenantId, id, patch);
    await audit(
      this.ctx,
      actor,
      'device.update',
      { type: 'device', id },
      { changed: changedFields(patch), accountIds: d.accountIds },
    );
    announceVersions(this.ctx, new Map([[d.id, d.configVersion]]));
    const view = toDeviceView(this.ctx, d);
    this.ctx.hub.publishTenant(actor.tenantId, { type: 'device', device: view });
    await publishAccounts(this.ctx, actor.tenantId, [...before.accountIds, ...d.accountIds]);
    return view;
  }

  async move(actor: Actor, id: string, contactId: string): Promise<Device> {
    const before = await this.ctx.repos.devices.findById(actor.tenantId, id);
    if (!before) throw notFound('device');
    const d = await this.ctx.repos.devices.move(actor.tenantId, id, contactId);
    await audit(
      this.ctx,
      actor,
      'device.move',
      { type: 'device', id },
      { from: before.contactId, to: contactId },
    );
    const view = toDeviceView(this.ctx, d);
    this.ctx.hub.publishTenant(actor.tenantId, { type: 'device', device: view });
    return view;
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const d = await this.ctx.repos.devices.findById(actor.tenantId, id);
    if (!d) throw notFound('device');
    await this.ctx.repos.devices.remove(actor.tenantId, id);
    await audit(
      this.ctx,
      actor,
      'device.delete',
      { type: 'device', id },
      { name: d.name, contactId: d.contactId },
    );
    if (d.activatedAt !== null) announceDeactivation(this.ctx, id, 'deleted');
    this.ctx.hub.publishTenant(actor.tenantId, { type: 'device-deleted', deviceId: id });
    await publishAccounts(this.ctx, actor.tenantId, d.accountIds);
  }
}
