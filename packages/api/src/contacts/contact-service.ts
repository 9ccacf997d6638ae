// Contacts (end users). Rule for deletion: a contact with devices is kept (409
// contact_has_devices) unless the caller asks for the cascade, which deletes its devices too
// (their apps are told and sign out).
import type { Contact as ContactRow, ContactSort } from '@switchboard/db';
import type { Contact, ContactInput } from '@switchboard/contracts';
import type { ApiContext, Actor } from '../context.ts';
import { ApiError, assertFields, notFound } from '../errors/api-error.ts';
import { audit, changedFields } from '../audit/audit.ts';
import { announceDeactivation } from '../live/notify.ts';

export const toContactView = (c: ContactRow): Contact => ({
  id: c.id,
  firstName: c.firstName,
  lastName: c.lastName,
  emails: c.emails.map((e) => ({ address: e.address, label: e.label })),
  deviceCount: c.deviceCount,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});

function checkDuplicates(emails: ContactInput['emails'] | undefined): void {
  if (!emails) return;
  const seen = new Set<string>();
  assertFields(
    ...emails.map((e, index) => {
      const key = e.address.trim().toLowerCase();
      const dup = seen.has(key);
      seen.add(key);
      return dup && { field: `emails[${index}].address`, index, message: 'appears twice' };
    }),
  );
}

export class ContactService {
  constructor(private readonly ctx: ApiContext) {}

  async list(
    tenantId: string,
    q: { search?: string; sort?: ContactSort; order?: 'asc' | 'desc'; limit: number; offset: number },
  ): Promise<{ items: Contact[]; total: number }> {
    const { items, total } = await this.ctx.repos.contacts.list({ tenantId, ...q });
    return { items: items.map(toContactView), total };
  }

  async get(tenantId: string, id: string): Promise<Contact> {
    const c = await this.ctx.repos.contacts.findById(tenantId, id);
    if (!c) throw notFound('contact');
    return toContactView(c);
  }

  async create(actor: Actor, input: ContactInput): Promise<Contact> {
    checkDuplicates(input.emails);
    const c = await this.ctx.repos.contacts.create({ tenantId: actor.tenantId, ...input });
    await audit(
      this.ctx,
      actor,
      'contact.create',
      { type: 'contact', id: c.id },
      { name: `${c.firstName} ${c.lastName}` },
    );
    return toContactView(c);
  }

  async update(actor: Actor, id: string, patch: Partial<ContactInput>): Promise<Contact> {
    checkDuplicates(patch.emails);
    const c = await this.ctx.repos.contacts.update(actor.tenantId, id, patch);
    await audit(
      this.ctx,
      actor,
      'contact.update',
      { type: 'contact', id },
      { changed: changedFields(patch) },
    );
    return toContactView(c);
  }

  async remove(actor: Actor, id: string, cascade: boolean): Promise<void> {
    const contact = await this.ctx.repos.contacts.findById(actor.tenantId, id);
    if (!contact) throw notFound('contact');
    const { items: devices } = await this.ctx.repos.devices.list({
      tenantId: actor.tenantId,
      contactId: id,
      limit: 1000,
    });
    if (devices.length > 0 && !cascade) {
      throw new ApiError(
        'contact_has_devices',
        `the contact has ${devices.length} device(s); move or delete them first, or delete with ?cascade=true to delete them too`,
        devices.map((d) => ({ field: 'devices', message: `${d.name} (${d.id})` })),
      );
    }
    await this.ctx.repos.contacts.remove(actor.tenantId, id);
    await audit(
      this.ctx,
      actor,
      'contact.delete',
      { type: 'contact', id },
      {
        name: `${contact.firstName} ${contact.lastName}`,
        devicesDeleted: devices.map((d) => d.id),
      },
    );
    for (const d of devices) {
      if (d.activatedAt !== null) announceDeactivation(this.ctx, d.id, 'deleted');
      this.ctx.hub.publishTenant(actor.tenantId, { type: 'device-deleted', deviceId: d.id });
    }
  }
}
