// Contacts (search, paging, sorting, labelled e-mails, deletion rule) and devices (1-4 ordered
// accounts, move, delete).
import { describe, expect, it } from 'vitest';
import { BACKENDS, call, expectError, signUp, useApi, type Harness, type Session } from './harness.ts';

async function accounts(h: Harness, s: Session, n: number): Promise<string[]> {
  const pbx = (await call(h, s, 'GET', '/api/v1/providers')).body.items[0].id;
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await call(h, s, 'POST', `/api/v1/providers/${pbx}/accounts`, {
      username: `${5000 + i}`,
      password: `pw-${i}`,
    });
    ids.push(r.body.id);
  }
  return ids;
}

const contact = (
  firstName: string,
  lastName: string,
  address = `${firstName.toLowerCase()}@example.com`,
) => ({
  firstName,
  lastName,
  emails: [{ address, label: 'work' }],
});

describe.each(BACKENDS)('contacts and devices on %s', (backend) => {
  const h = useApi(backend);

  it('creates, reads, updates and deletes a contact with labelled e-mail addresses', async () => {
    const s = await signUp(h);
    const created = await call(h, s, 'POST', '/api/v1/contacts', {
      firstName: 'Carol',
      lastName: 'Danvers',
      emails: [
        { address: 'carol@work.example', label: 'work' },
        { address: 'carol@home.example', label: 'home' },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ firstName: 'Carol', lastName: 'Danvers', deviceCount: 0 });
    expect(created.body.emails).toEqual([
      { address: 'carol@work.example', label: 'work' },
      { address: 'carol@home.example', label: 'home' },
    ]);
    const id = created.body.id;
    expect((await call(h, s, 'GET', `/api/v1/contacts/${id}`)).body.lastName).toBe('Danvers');
    const patched = await call(h, s, 'PATCH', `/api/v1/contacts/${id}`, {
      emails: [{ address: 'c@home.example', label: 'home' }],
    });
    expect(patched.body).toMatchObject({
      firstName: 'Carol',
      emails: [{ address: 'c@home.example', label: 'home' }],
    });
    expect((await call(h, s, 'DELETE', `/api/v1/contacts/${id}`)).status).toBe(204);
    expectError(await call(h, s, 'GET', `/api/v1/contacts/${id}`), 404, 'not_found');
    expectError(await call(h, s, 'PATCH', `/api/v1/contacts/${id}`, { firstName: 'X' }), 404, 'not_found');
  });

  it('lists every bad contact field', async () => {
    const s = await signUp(h);
    expectError(
      await call(h, s, 'POST', '/api/v1/contacts', { firstName: '', emails: [] }),
      400,
      'validation_failed',
      ['firstName', 'lastName', 'emails'],
    );
    expectError(
      await call(h, s, 'POST', '/api/v1/contacts', {
        firstName: 'A',
        lastName: 'B',
        emails: [
          { address: 'nope', label: 'work' },
          { address: 'ok@example.com', label: 'office' },
          { label: 'home' },
        ],
      }),
      400,
      'validation_failed',
      ['emails[0].address', 'emails[1].label', 'emails[2].address'],
    );
    expectError(
      await call(h, s, 'POST', '/api/v1/contacts', {
        ...contact('A', 'B'),
        emails: [
          { address: 'same@example.com', label: 'work' },
          { address: 'SAME@example.com', label: 'home' },
        ],
      }),
      400,
      'validation_failed',
      ['emails[1].address'],
    );
  });

  it('searches, sorts and pages contacts', async () => {
    const s = await signUp(h);
    for (const [f, l] of [
      ['Zoe', 'Adams'],
      ['Yann', 'Baker'],
      ['Xena', 'Clark'],
      ['Walt', 'Adler'],
    ] as const) {
      await call(h, s, 'POST', '/api/v1/contacts', contact(f, l));
    }
    const all = await call(h, s, 'GET', '/api/v1/contacts');
    expect(all.body.total).toBe(4);
    expect(all.body.items.map((c: { lastName: string }) => c.lastName)).toEqual([
      'Adams',
      'Adler',
      'Baker',
      'Clark',
    ]);
    const byFirst = await call(h, s, 'GET', '/api/v1/contacts?sort=firstName&order=desc&limit=2&offset=1');
    expect(byFirst.body.total).toBe(4);
    expect(byFirst.body.items.map((c: { firstName: string }) => c.firstName)).toEqual(['Yann', 'Xena']);
    const search = await call(h, s, 'GET', '/api/v1/contacts?search=AD');
    expect(search.body.items.map((c: { lastName: string }) => c.lastName)).toEqual(['Adams', 'Adler']);
    expect((await call(h, s, 'GET', '/api/v1/contacts?search=yann@example')).body.total).toBe(1);
    expect((await call(h, s, 'GET', '/api/v1/contacts?search=walt%20adl')).body.total).toBe(1);
    expect((await call(h, s, 'GET', '/api/v1/contacts?search=%25')).body.total).toBe(0);
    expectError(await call(h, s, 'GET', '/api/v1/contacts?sort=age&limit=0'), 400, 'validation_failed', [
      'sort',
      'limit',
    ]);
    // Another organisation sees none of them.
    expect((await call(h, await signUp(h), 'GET', '/api/v1/contacts')).body.total).toBe(0);
  });

  it('creates devices with 1 to 4 ordered accounts, updates, moves and deletes them', async () => {
    const s = await signUp(h);
    const ids = await accounts(h, s, 5);
    const c1 = (await call(h, s, 'POST', '/api/v1/contacts', contact('Dan', 'One'))).body.id;
    const c2 = (await call(h, s, 'POST', '/api/v1/contacts', contact('Eve', 'Two'))).body.id;
    const created = await call(h, s, 'POST', `/api/v1/contacts/${c1}/devices`, {
      name: 'Desk',
      accountIds: [ids[2], ids[0]],
    });
    expect(created.status, created.raw).toBe(201);
    expect(created.body).toMatchObject({
      contactId: c1,
      name: 'Desk',
      accountIds: [ids[2], ids[0]],
      os: null,
      appVersion: null,
      status: 'not_activated',
      subStatus: null,
    });
    const id = created.body.id;
    expect((await call(h, s, 'GET', `/api/v1/contacts/${c1}`)).body.deviceCount).toBe(1);
    expect((await call(h, s, 'GET', `/api/v1/contacts/${c1}/devices`)).body).toMatchObject({
      total: 1,
      items: [{ id }],
    });
    expect((await call(h, s, 'GET', '/api/v1/devices')).body.total).toBe(1);
    const patched = await call(h, s, 'PATCH', `/api/v1/devices/${id}`, {
      name: 'Desk PC',
      accountIds: [ids[0], ids[1], ids[2], ids[3]],
    });
    expect(patched.body).toMatchObject({ name: 'Desk PC', accountIds: [ids[0], ids[1], ids[2], ids[3]] });
    expect(patched.body.configVersion).toBe(created.body.configVersion + 1);
    expectError(
      await call(h, s, 'PATCH', `/api/v1/devices/${id}`, { accountIds: ids }),
      400,
      'validation_failed',
      ['accountIds'],
    );
    expectError(
      await call(h, s, 'PATCH', `/api/v1/devices/${id}`, { accountIds: [] }),
      400,
      'validation_failed',
      ['accountIds'],
    );
    expectError(
      await call(h, s, 'PATCH', `/api/v1/devices/${id}`, { accountIds: [ids[0], ids[0]] }),
      400,
      'validation_failed',
      ['accountIds'],
    );
    const foreign = '00000000-0000-4000-8000-000000000000';
    const unknown = await call(h, s, 'POST', `/api/v1/contacts/${c1}/devices`, {
      name: 'X',
      accountIds: [ids[0], foreign],
    });
    expectError(unknown, 400, 'validation_failed', ['accountIds']);
    expect(unknown.body.error.details[0]).toMatchObject({ index: 1 });
    expectError(
      await call(h, s, 'POST', `/api/v1/contacts/${c1}/devices`, { name: ' ' }),
      400,
      'validation_failed',
      ['name', 'accountIds'],
    );
    expectError(
      await call(h, s, 'POST', `/api/v1/contacts/${foreign}/devices`, { name: 'X', accountIds: [ids[0]] }),
      404,
      'not_found',
    );
    // Another organisation's accounts and contacts are out of reach.
    const other = await signUp(h);
    const theirs = await accounts(h, other, 1);
    expectError(
      await call(h, s, 'PATCH', `/api/v1/devices/${id}`, { accountIds: theirs }),
      400,
      'validation_failed',
      ['accountIds'],
    );
    const theirContact = (await call(h, other, 'POST', '/api/v1/contacts', contact('Gus', 'Other'))).body.id;
    expectError(
      await call(h, s, 'POST', `/api/v1/devices/${id}/move`, { contactId: theirContact }),
      400,
      'validation_failed',
      ['contactId'],
    );
    expectError(await call(h, other, 'GET', `/api/v1/devices/${id}`), 404, 'not_found');
    const moved = await call(h, s, 'POST', `/api/v1/devices/${id}/move`, { contactId: c2 });
    expect(moved.body.contactId).toBe(c2);
    expect((await call(h, s, 'GET', `/api/v1/contacts/${c1}/devices`)).body.total).toBe(0);
    expectError(
      await call(h, s, 'POST', `/api/v1/devices/${id}/move`, { contactId: foreign }),
      400,
      'validation_failed',
      ['contactId'],
    );
    expect((await call(h, s, 'DELETE', `/api/v1/devices/${id}`)).status).toBe(204);
    expectError(await call(h, s, 'GET', `/api/v1/devices/${id}`), 404, 'not_found');
    expectError(await call(h, s, 'DELETE', `/api/v1/devices/${id}`), 404, 'not_found');
    const actions = (await call(h, s, 'GET', '/api/v1/audit?targetType=device')).body.items.map(
      (e: { action: string }) => e.action,
    );
    expect(actions).toEqual(['device.delete', 'device.move', 'device.update', 'device.create']);
  });

  it('keeps a contact that has devices unless the deletion is cascaded', async () => {
    const s = await signUp(h);
    const [a] = await accounts(h, s, 1);
    const c = (await call(h, s, 'POST', '/api/v1/contacts', contact('Fay', 'Three'))).body.id;
    const d = (await call(h, s, 'POST', `/api/v1/contacts/${c}/devices`, { name: 'Phone', accountIds: [a] }))
      .body.id;
    const refused = await call(h, s, 'DELETE', `/api/v1/contacts/${c}`);
    expectError(refused, 409, 'contact_has_devices', ['devices']);
    expect(refused.body.error.message).toMatch(/cascade=true/);
    expect((await call(h, s, 'DELETE', `/api/v1/contacts/${c}?cascade=true`)).status).toBe(204);
    expectError(await call(h, s, 'GET', `/api/v1/devices/${d}`), 404, 'not_found');
    const entry = (await call(h, s, 'GET', '/api/v1/audit?action=contact.delete')).body.items[0];
    expect(entry.details.devicesDeleted).toEqual([d]);
  });
});
