// The PBX's call features over the API (issue 7): an extension's DND and forwarding (admin and
// the softphone's own lines), the organisation's feature codes, and a user's call history
// across their lines with names, types (Inbound/Outbound/Missed), line and duration.
import { describe, expect, it } from 'vitest';
import { BACKENDS, call, expectError, signUp, useApi, type Harness, type Session } from './harness.ts';

async function setup(h: Harness, s: Session) {
  const pbx = (await call(h, s, 'GET', '/api/v1/providers')).body.items.find(
    (p: { builtIn: boolean }) => p.builtIn,
  ).id;
  const ext = (
    await call(h, s, 'POST', '/api/v1/providers', { name: 'Carrier', host: 'sip.carrier.example' })
  ).body.id;
  const account = async (provider: string, username: string, displayName = '') =>
    (
      await call(h, s, 'POST', `/api/v1/providers/${provider}/accounts`, {
        username,
        password: `pw-${username}-secret`,
        ...(displayName && { displayName }),
      })
    ).body;
  const alice = await account(pbx, '1001', 'Alice');
  const bob = await account(pbx, '1002');
  const carol = await account(pbx, '1003', 'Carol');
  const external = await account(ext, 'alice.ext');
  const contact = (
    await call(h, s, 'POST', '/api/v1/contacts', {
      firstName: 'Bob',
      lastName: 'Builder',
      emails: [{ address: 'bob@example.com', label: 'work' }],
    })
  ).body;
  const laptop = (
    await call(h, s, 'POST', `/api/v1/contacts/${contact.id}/devices`, {
      name: 'Laptop',
      accountIds: [bob.id],
    })
  ).body;
  const phone = (
    await call(h, s, 'POST', `/api/v1/contacts/${contact.id}/devices`, {
      name: 'Phone',
      accountIds: [carol.id],
    })
  ).body;
  return { alice, bob, carol, external, contact, laptop, phone };
}

async function deviceToken(
  h: Harness,
  s: Session,
  deviceId: string,
): Promise<{ headers: Record<string, string> }> {
  const { code } = (await call(h, s, 'GET', `/api/v1/devices/${deviceId}/activation`)).body;
  const activated = await call(h, undefined, 'POST', '/api/v1/provisioning/activate', {
    code,
    os: 'linux',
    appVersion: '1.0.0',
  });
  expect(activated.status, activated.raw).toBe(200);
  return { headers: { authorization: `Bearer ${activated.body.deviceToken}` } };
}

describe.each(BACKENDS)('call features API on %s', (backend) => {
  const h = useApi(backend);

  it('reads and changes an extension’s DND and forwarding; targets must be other extensions', async () => {
    const s = await signUp(h);
    const { alice, bob, external } = await setup(h, s);
    const url = `/api/v1/accounts/${alice.id}/call-settings`;
    expect((await call(h, s, 'GET', url)).body).toEqual({
      dnd: false,
      forwardAlways: null,
      forwardBusy: null,
      forwardNoAnswer: null,
      forwardUnavailable: null,
      noAnswerSeconds: 20,
    });
    const changed = await call(h, s, 'PATCH', url, { dnd: true, forwardBusy: '1002', noAnswerSeconds: 15 });
    expect(changed.status, changed.raw).toBe(200);
    expect(changed.body).toMatchObject({ dnd: true, forwardBusy: '1002', noAnswerSeconds: 15 });
    // What the PBX reads (by extension number) is what the API wrote.
    expect(await h.repos.callSettings.findForExtension(s.tenantId, '1001')).toMatchObject({
      dnd: true,
      forwardBusy: '1002',
    });
    expectError(
      await call(h, s, 'PATCH', url, { forwardAlways: '9999', forwardNoAnswer: '1001' }),
      400,
      'validation_failed',
      ['forwardAlways', 'forwardNoAnswer'],
    );
    expectError(
      await call(h, s, 'PATCH', url, { noAnswerSeconds: 1, extra: true }),
      400,
      'validation_failed',
    );
    expectError(
      await call(h, s, 'GET', `/api/v1/accounts/${external.id}/call-settings`),
      400,
      'validation_failed',
    );
    // Another organisation sees nothing.
    const other = await signUp(h);
    expectError(await call(h, other, 'GET', url), 404, 'not_found');
    const audit = await call(h, s, 'GET', `/api/v1/audit?action=account.call-settings.update`);
    expect(audit.body.items[0]).toMatchObject({
      targetId: alice.id,
      details: { changed: ['dnd', 'forwardBusy', 'noAnswerSeconds'] },
    });
    expect(bob.id).toBeDefined();
  });

  it('lists feature codes and replaces the tenant’s own, refusing collisions', async () => {
    const s = await signUp(h);
    const list = await call(h, s, 'GET', '/api/v1/feature-codes');
    const dnd = list.body.items.find((c: { feature: string }) => c.feature === 'dnd-on');
    expect(dnd).toEqual(
      expect.objectContaining({ code: '*78', defaultCode: '*78', kind: 'dial', available: true }),
    );
    expect(list.body.items.find((c: { feature: string }) => c.feature === 'transfer-attended')).toMatchObject(
      {
        code: '*2',
        kind: 'in-call',
        takesNumber: true,
      },
    );
    const put = (codes: Record<string, string>) =>
      h.app.inject({ method: 'PUT', url: '/api/v1/feature-codes', headers: s.headers, payload: { codes } });
    const replaced = await put({ 'dnd-on': '*55', 'dnd-off': '*79' });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json().items.find((c: { feature: string }) => c.feature === 'dnd-on').code).toBe('*55');
    // Only what differs from the defaults is stored.
    expect(await h.repos.featureCodes.list(s.tenantId)).toEqual({ 'dnd-on': '*55' });
    const clash = await put({ 'dnd-on': '*7' });
    expect(clash.statusCode).toBe(400);
    expect(clash.json().error.details.map((d: { field: string }) => d.field)).toContain(
      'codes.forward-always-on',
    );
    expect((await put({ nope: '*1' })).statusCode).toBe(400);
    expect((await put({ 'dnd-on': '78' })).statusCode).toBe(400);
    expect((await put({})).json().items.find((c: { feature: string }) => c.feature === 'dnd-on').code).toBe(
      '*78',
    );
  });

  it('call history of a user across devices and lines, for the admin and the softphone', async () => {
    const s = await signUp(h);
    const { alice, bob, carol, contact, laptop } = await setup(h, s);
    const at = (sec: number): Date => new Date(Date.UTC(2030, 0, 1, 12, 0, sec));
    const cdr = (caller: string, callee: string, start: number, answered: boolean) =>
      h.repos.cdrs.insert({
        tenantId: s.tenantId,
        direction: 'internal',
        caller,
        callee,
        startedAt: at(start),
        answeredAt: answered ? at(start + 2) : null,
        endedAt: at(start + 12),
        disposition: answered ? 'answered' : 'no_answer',
        hangupCause: answered ? 'normal_clearing' : '480',
        hangupSide: 'caller',
        sipCallIds: [],
      });
    await cdr('1002', '1001', 0, true); // Bob (laptop) calls Alice
    await cdr('1001', '1003', 20, true); // Alice calls Carol (Bob's phone line)
    await cdr('1001', '1002', 40, false); // Alice calls Bob, no answer
    await cdr('1001', '4444', 50, false); // not Bob's

    const admin = await call(h, s, 'GET', `/api/v1/call-history?contactId=${contact.id}`);
    expect(admin.status, admin.raw).toBe(200);
    const expected = [
      {
        type: 'missed',
        number: '1001',
        name: 'Alice',
        line: { accountId: bob.id, username: '1002' },
        durationSeconds: 0,
      },
      {
        type: 'inbound',
        number: '1001',
        name: 'Alice',
        line: { accountId: carol.id, username: '1003' },
        durationSeconds: 10,
      },
      {
        type: 'outbound',
        number: '1001',
        name: 'Alice',
        line: { accountId: bob.id, username: '1002' },
        durationSeconds: 10,
      },
    ];
    expect(admin.body.items).toMatchObject(expected);
    expect(admin.body.items[0].startedAt).toBe(at(40).toISOString());
    // One line only, and paging by time.
    const line = await call(h, s, 'GET', `/api/v1/call-history?accountId=${alice.id}&limit=2`);
    expect(line.body.items.map((e: { number: string; name: string }) => [e.number, e.name])).toEqual([
      ['4444', '4444'],
      ['1002', 'Bob Builder'],
    ]);
    const older = await call(
      h,
      s,
      'GET',
      `/api/v1/call-history?accountId=${alice.id}&before=${line.body.items[1].startedAt}`,
    );
    expect(older.body.items.map((e: { type: string }) => e.type)).toEqual(['outbound', 'inbound']);
    expectError(await call(h, s, 'GET', '/api/v1/call-history'), 400, 'validation_failed');

    // The softphone on the laptop sees the whole user's history (the phone's line too).
    const device = await deviceToken(h, s, laptop.id);
    const mine = await call(h, device, 'GET', '/api/v1/provisioning/call-history');
    expect(mine.status, mine.raw).toBe(200);
    expect(mine.body.items).toMatchObject(expected);
    // It toggles DND on its own line, not on others.
    const dnd = await call(h, device, 'PATCH', `/api/v1/provisioning/call-settings?accountId=${bob.id}`, {
      dnd: true,
    });
    expect(dnd.body.dnd).toBe(true);
    expect(
      (await call(h, device, 'GET', `/api/v1/provisioning/call-settings?accountId=${bob.id}`)).body.dnd,
    ).toBe(true);
    expectError(
      await call(h, device, 'GET', `/api/v1/provisioning/call-settings?accountId=${alice.id}`),
      404,
      'not_found',
    );
    expectError(
      await call(h, undefined, 'GET', '/api/v1/provisioning/call-history'),
      401,
      'device_deactivated',
    );
  });

  it('call history of diverted calls: missed with divertedTo or voicemail, one entry per call', async () => {
    const s = await signUp(h);
    const { bob, carol } = await setup(h, s);
    const at = (sec: number): Date => new Date(Date.UTC(2030, 0, 2, 12, 0, sec));
    const cdr = (callee: string, start: number, callIds: string[], divertedFrom: string[] = []) =>
      h.repos.cdrs.insert({
        tenantId: s.tenantId,
        direction: 'internal',
        caller: '1001',
        callee,
        dialled: divertedFrom[0] ?? callee,
        divertedFrom,
        startedAt: at(start),
        answeredAt: divertedFrom.length > 0 ? at(start + 1) : null,
        endedAt: at(start + 10),
        disposition: divertedFrom.length > 0 ? 'answered' : 'no_answer',
        hangupCause: divertedFrom.length > 0 ? 'normal_clearing' : '408',
        hangupSide: 'caller',
        sipCallIds: callIds,
      });
    // Bob does not answer, the call goes on to Carol (who later transfers it to 1004).
    await cdr('1002', 0, ['x@a']);
    await cdr('1003', 5, ['x@a'], ['1002']);
    await cdr('1004', 20, ['x@a', 'y@b'], ['1002']);
    // Bob's voicemail answers a call; another goes 1002 → 1003 → 1003's voicemail.
    await cdr('voicemail:1002', 40, ['z@a'], ['1002']);
    await cdr('voicemail:1003', 60, ['w@a'], ['1002', '1003']);

    const history = async (accountId: string) =>
      (await call(h, s, 'GET', `/api/v1/call-history?accountId=${accountId}`)).body.items as {
        type: string;
        number: string;
        divertedTo?: string;
        voicemail?: boolean;
        sipCallIds: string[];
      }[];
    const brief = (e: { type: string; divertedTo?: string; voicemail?: boolean; sipCallIds: string[] }) => [
      e.type,
      e.sipCallIds[0],
      e.divertedTo ?? (e.voicemail ? 'voicemail' : '-'),
    ];
    expect((await history(bob.id)).map(brief)).toEqual([
      ['missed', 'w@a', '1003'],
      ['missed', 'z@a', 'voicemail'],
      ['missed', 'x@a', '1003'],
    ]);
    expect((await history(carol.id)).map(brief)).toEqual([
      ['missed', 'w@a', 'voicemail'],
      ['inbound', 'x@a', '-'],
    ]);
  });

  it('music on hold: upload a WAV (converted to 8 kHz mono), read it back, return to the built-in melody', async () => {
    const s = await signUp(h);
    const builtIn = await call(h, s, 'GET', '/api/v1/music-on-hold');
    expect(builtIn.body).toMatchObject({ custom: false, name: null, updatedAt: null });
    expect(builtIn.body.durationSeconds).toBeGreaterThan(5);
    const put = (payload: unknown) =>
      h.app.inject({
        method: 'PUT',
        url: '/api/v1/music-on-hold',
        headers: s.headers,
        payload: payload as object,
      });
    // 30 s of 16 kHz stereo is 1.9 MB, 2.6 MB in base64: more than the API's usual 1 MiB.
    const upload = await put({
      name: 'jingle.wav',
      wav: Buffer.from(pcmWav(16_000, 2, 30, 600)).toString('base64'),
    });
    expect(upload.statusCode, upload.body).toBe(200);
    expect(upload.json()).toMatchObject({ custom: true, name: 'jingle.wav', durationSeconds: 30 });
    const stored = await h.repos.musicOnHold.find(s.tenantId);
    // RIFF header says 8000 Hz, one channel, 16 bits.
    const view = new DataView(stored!.wav.buffer, stored!.wav.byteOffset);
    expect([view.getUint16(22, true), view.getUint32(24, true), view.getUint16(34, true)]).toEqual([
      1, 8000, 16,
    ]);
    const audio = await h.app.inject({
      method: 'GET',
      url: '/api/v1/music-on-hold/audio',
      headers: s.headers,
    });
    expect(audio.headers['content-type']).toBe('audio/wav');
    expect(audio.rawPayload.length).toBe(stored!.wav.length);
    expect(
      (
        await put({
          name: 'x.mp3',
          wav: Buffer.from('ID3\u0003 not a wav file at all, really not').toString('base64'),
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (await put({ name: 'short.wav', wav: Buffer.from(pcmWav(8000, 1, 0.5, 600)).toString('base64') }))
        .statusCode,
    ).toBe(400);
    expect((await call(h, s, 'DELETE', '/api/v1/music-on-hold')).status).toBe(204);
    expect((await call(h, s, 'GET', '/api/v1/music-on-hold')).body.custom).toBe(false);
    const audit = await call(h, s, 'GET', '/api/v1/audit?targetType=tenant');
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['music-on-hold.update', 'music-on-hold.delete']),
    );
  });
});

/** A PCM 16-bit WAV of a sine tone. */
function pcmWav(rate: number, channels: number, seconds: number, hz: number): Uint8Array {
  const frames = Math.round(rate * seconds);
  const bytes = new Uint8Array(44 + frames * channels * 2);
  const v = new DataView(bytes.buffer);
  const text = (at: number, s: string) => [...s].forEach((c, i) => (bytes[at + i] = c.charCodeAt(0)));
  text(0, 'RIFF');
  v.setUint32(4, bytes.length - 8, true);
  text(8, 'WAVEfmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, rate, true);
  v.setUint32(28, rate * channels * 2, true);
  v.setUint16(32, channels * 2, true);
  v.setUint16(34, 16, true);
  text(36, 'data');
  v.setUint32(40, frames * channels * 2, true);
  for (let i = 0; i < frames; i++)
    for (let c = 0; c < channels; c++)
      v.setInt16(
        44 + (i * channels + c) * 2,
        Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / rate)),
        true,
      );
  return bytes;
}
