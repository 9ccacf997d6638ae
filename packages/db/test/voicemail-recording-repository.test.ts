import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RECORDING_SETTINGS, NotFoundError, ValidationError } from '@switchboard/db';
import { BACKENDS, useDatabase } from './backends.ts';
import { repos, uniqueDomain } from './fixtures.ts';

describe.each(BACKENDS)('voicemail and recording repositories on %s', (backend) => {
  const t = useDatabase(backend);

  it('mailboxes: defaults, PIN hashed and checked, settings, isolation, deleted with the account', async () => {
    const { tenants, sipAccounts, voicemail } = repos(t.db.sql);
    const tenant = await tenants.create({ name: 'VM', sipDomain: uniqueDomain() });
    const other = await tenants.create({ name: 'VM2', sipDomain: uniqueDomain() });
    const alice = await sipAccounts.create({ tenantId: tenant.id, username: '1001', password: 'pw-1001' });
    await sipAccounts.create({ tenantId: other.id, username: '1001', password: 'pw-1001' });

    expect(await voicemail.mailbox(tenant.id, '9999')).toBeUndefined();
    expect(await voicemail.mailbox(tenant.id, '1001')).toMatchObject({
      accountId: alice.id,
      enabled: false,
      hasPin: false,
      greetingFile: null,
      email: null,
      maxMessageSeconds: 180,
    });
    expect(await voicemail.verifyPin(tenant.id, '1001', '1234')).toBe(false);
    await voicemail.update(tenant.id, '1001', { enabled: true, pin: '2468', email: 'a@example.com' });
    expect(await voicemail.mailbox(tenant.id, '1001')).toMatchObject({
      enabled: true,
      hasPin: true,
      email: 'a@example.com',
    });
    expect(await voicemail.verifyPin(tenant.id, '1001', '2468')).toBe(true);
    expect(await voicemail.verifyPin(tenant.id, '1001', '2469')).toBe(false);
    expect(await voicemail.verifyPin(other.id, '1001', '2468')).toBe(false);
    const { rows } = await t.db.sql.query('SELECT pin_hash FROM voicemail_boxes WHERE account_id = $1', [
      alice.id,
    ]);
    expect(String(rows[0]?.pin_hash)).toMatch(/^scrypt\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    // Another change keeps the PIN; null removes it.
    await voicemail.update(tenant.id, '1001', { greetingFile: 'voicemail/x/greeting.wav' });
    expect(await voicemail.verifyPin(tenant.id, '1001', '2468')).toBe(true);
    await voicemail.update(tenant.id, '1001', { pin: null });
    expect((await voicemail.mailbox(tenant.id, '1001'))?.hasPin).toBe(false);
    const bad = await voicemail
      .update(tenant.id, '1001', { pin: '12', email: 'nope', maxMessageSeconds: 1 })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ValidationError);
    expect((bad as ValidationError).details.map((d) => d.field).sort()).toEqual([
      'email',
      'maxMessageSeconds',
      'pin',
    ]);
    expect(await voicemail.update(tenant.id, '9999', { enabled: true })).toBeUndefined();
  });

  it('messages: new first, heard ones saved, counts, delete returns the file', async () => {
    const { tenants, sipAccounts, voicemail } = repos(t.db.sql);
    const tenant = await tenants.create({ name: 'VM3', sipDomain: uniqueDomain() });
    const bob = await sipAccounts.create({ tenantId: tenant.id, username: '1002', password: 'pw-1002' });
    const add = (caller: string): Promise<unknown> =>
      voicemail.addMessage({
        id: randomUUID(),
        tenantId: tenant.id,
        extension: '1002',
        caller,
        callerName: `Caller ${caller}`,
        file: `voicemail/${caller}.wav`,
        durationMs: 3000,
      });
    await add('1001');
    await add('1003');
    expect(await voicemail.counts(tenant.id, '1002')).toEqual({ newMessages: 2, oldMessages: 0 });
    const [first, second] = await voicemail.messages(tenant.id, '1002');
    expect(first?.caller).toBe('1001');
    await voicemail.setFolder(tenant.id, first!.id, 'saved');
    expect(await voicemail.counts(tenant.id, '1002')).toEqual({ newMessages: 1, oldMessages: 1 });
    const listed = await voicemail.messages(tenant.id, '1002');
    expect(listed.map((m) => [m.caller, m.folder])).toEqual([
      ['1003', 'new'],
      ['1001', 'saved'],
    ]);
    expect(listed[1]?.heardAt).not.toBeNull();
    expect(await voicemail.deleteMessage(tenant.id, second!.id)).toBe('voicemail/1003.wav');
    expect(await voicemail.deleteMessage(tenant.id, second!.id)).toBeUndefined();
    // A message for an extension the tenant does not have is refused.
    await expect(
      voicemail.addMessage({
        id: randomUUID(),
        tenantId: tenant.id,
        extension: '9999',
        caller: '1001',
        callerName: '',
        file: 'voicemail/x.wav',
        durationMs: 1,
      }),
    ).rejects.toThrow(/no extension/);
    await sipAccounts.remove(tenant.id, bob.id);
    expect(await voicemail.counts(tenant.id, '1002')).toEqual({ newMessages: 0, oldMessages: 0 });
  });

  it('recordings: policy per extension, settings, rows by call record, retention', async () => {
    const { tenants, sipAccounts, recordings, cdrs } = repos(t.db.sql);
    const tenant = await tenants.create({ name: 'REC', sipDomain: uniqueDomain() });
    await sipAccounts.create({ tenantId: tenant.id, username: '1001', password: 'pw-1001' });
    expect(await recordings.policy(tenant.id, '1001')).toBe('off');
    expect(await recordings.setPolicy(tenant.id, '1001', 'inbound')).toBe(true);
    expect(await recordings.policy(tenant.id, '1001')).toBe('inbound');
    expect(await recordings.setPolicy(tenant.id, '9999', 'all')).toBe(false);
    await expect(recordings.setPolicy(tenant.id, '1001', 'some' as never)).rejects.toBeInstanceOf(
      ValidationError,
    );

    expect(await recordings.settings(tenant.id)).toEqual(DEFAULT_RECORDING_SETTINGS);
    expect(await recordings.updateSettings(tenant.id, { retentionDays: 30 })).toEqual({
      channels: 1,
      retentionDays: 30,
    });
    expect(await recordings.updateSettings(tenant.id, { channels: 2 })).toEqual({
      channels: 2,
      retentionDays: 30,
    });
    await expect(recordings.updateSettings(tenant.id, { retentionDays: 0 })).rejects.toBeInstanceOf(
      ValidationError,
    );

    const day = 86_400_000;
    const now = new Date();
    const cdr = await cdrs.insert({
      tenantId: tenant.id,
      direction: 'internal',
      caller: '1001',
      callee: '1002',
      startedAt: new Date(now.getTime() - 60_000),
      answeredAt: new Date(now.getTime() - 50_000),
      endedAt: now,
      disposition: 'answered',
      hangupCause: 'normal_clearing',
      hangupSide: 'caller',
      sipCallIds: ['call-a@x', 'call-b@x'],
    });
    const rec = (sipCallId: string, startedAt: Date): Promise<unknown> =>
      recordings.insert({
        id: randomUUID(),
        tenantId: tenant.id,
        sipCallId,
        caller: '1001',
        callee: '1002',
        file: `recordings/${sipCallId}.wav`,
        channels: 1,
        durationMs: 5000,
        trigger: 'policy',
        startedAt,
        endedAt: new Date(startedAt.getTime() + 5000),
      });
    await rec('call-a@x', new Date(now.getTime() - 55_000));
    await rec('other@x', new Date(now.getTime() - 40 * day));
    const ofCall = await recordings.listForCdr(tenant.id, cdr.id);
    expect(ofCall.map((r) => r.file)).toEqual(['recordings/call-a@x.wav']);
    await expect(recordings.listForCdr(tenant.id, randomUUID())).rejects.toBeInstanceOf(NotFoundError);
    const expired = await recordings.expired(now);
    expect(expired.map((r) => r.sipCallId)).toEqual(['other@x']);
    expect(await recordings.remove(tenant.id, expired[0]!.id)).toBe(true);
    expect((await recordings.list(tenant.id)).map((r) => r.sipCallId)).toEqual(['call-a@x']);
    expect(await recordings.findById(tenant.id, ofCall[0]!.id)).toMatchObject({
      channels: 1,
      durationMs: 5000,
    });
  });
});
