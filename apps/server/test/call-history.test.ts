// Call history of diverted calls with real phones (issue 7): the call record names the
// extensions that forwarded the call (or whose voicemail answered it), so the history of the
// line that was dialled shows the call as missed — forwarded to 1003, or sent to voicemail.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Baresip } from '@switchboard/testkit';
import { adminToken, registeredBaresip } from './apps/phones.ts';
import { startPbx, type PbxHarness } from './harness.ts';

const ALICE = { number: '1001', password: 'ch-1001-secret', name: 'Alice' };
const BOB = { number: '1002', password: 'ch-1002-secret', name: 'Bob' };
const CAROL = { number: '1003', password: 'ch-1003-secret', name: 'Carol' };
const TONE: Record<string, number> = { [ALICE.number]: 1500, [BOB.number]: 1200, [CAROL.number]: 2000 };

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Entry {
  type: string;
  number: string;
  line: { username: string };
  disposition: string;
  sipCallIds?: string[];
  divertedTo?: string;
  voicemail?: boolean;
}

describe('call history of forwarded and voicemail calls, with baresip phones', () => {
  let pbx: PbxHarness;
  let token: string;
  let phones: Baresip[] = [];

  beforeAll(async () => {
    pbx = await startPbx({ extensions: [ALICE, BOB, CAROL] });
    token = await adminToken(pbx, 'admin@history.test');
  });
  afterEach(async () => {
    await Promise.all(phones.map((p) => p.cleanup()));
    phones = [];
  });
  afterAll(async () => {
    await pbx?.close();
  });

  const phone = (user: typeof ALICE): Promise<Baresip> =>
    registeredBaresip(pbx, user, TONE[user.number]!, phones);

  /** GET /api/v1/call-history of one extension's line. */
  const history = async (number: string): Promise<Entry[]> => {
    const account = await pbx.repos.sipAccounts.findExtension(pbx.tenant.id, number);
    const response = await fetch(
      `http://127.0.0.1:${pbx.httpPort}/api/v1/call-history?accountId=${account!.id}`,
      { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) },
    );
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: Entry[] }).items;
  };

  it('unconditional forwarding 1002 → 1003: missed and forwarded for 1002, inbound for 1003, outbound for 1001', async () => {
    await pbx.repos.callSettings.updateForExtension(pbx.tenant.id, BOB.number, {
      forwardAlways: CAROL.number,
    });
    try {
      const [a, c] = await Promise.all([phone(ALICE), phone(CAROL)]);
      const before = (await pbx.cdrs()).length;
      await a.dial(`sip:${BOB.number}@127.0.0.1`);
      await c.waitFor('CALL_INCOMING', 10_000);
      await c.answer();
      await a.waitFor('CALL_ESTABLISHED', 10_000);
      await pause(1000);
      await a.hangup();
      await c.waitFor('CALL_CLOSED', 10_000);
      const [cdr] = await pbx.waitForCdrs(before + 1);
      expect(cdr).toMatchObject({
        caller: ALICE.number,
        callee: CAROL.number,
        dialled: BOB.number,
        divertedFrom: [BOB.number],
        disposition: 'answered',
      });

      const [bob] = await history(BOB.number);
      expect(bob).toMatchObject({
        type: 'missed',
        number: ALICE.number,
        line: { username: BOB.number },
        divertedTo: CAROL.number,
      });
      expect(bob!.voicemail).toBeUndefined();
      const [carol] = await history(CAROL.number);
      expect(carol).toMatchObject({ type: 'inbound', number: ALICE.number, disposition: 'answered' });
      expect(carol!.divertedTo).toBeUndefined();
      const [alice] = await history(ALICE.number);
      expect(alice).toMatchObject({
        type: 'outbound',
        number: CAROL.number,
        line: { username: ALICE.number },
      });
      expect(alice!.divertedTo).toBeUndefined();
    } finally {
      await pbx.repos.callSettings.updateForExtension(pbx.tenant.id, BOB.number, { forwardAlways: null });
    }
  }, 60_000);

  it('forwarding on no answer: one entry for 1002 (missed, forwarded to 1003), not the ringing attempt too', async () => {
    await pbx.repos.callSettings.updateForExtension(pbx.tenant.id, BOB.number, {
      forwardNoAnswer: CAROL.number,
      noAnswerSeconds: 5,
    });
    try {
      const [a, b, c] = await Promise.all([phone(ALICE), phone(BOB), phone(CAROL)]);
      const before = (await pbx.cdrs()).length;
      await a.dial(`sip:${BOB.number}@127.0.0.1`);
      await b.waitFor('CALL_INCOMING', 10_000);
      await c.waitFor('CALL_INCOMING', 15_000);
      await c.answer();
      await a.waitFor('CALL_ESTABLISHED', 10_000);
      await a.hangup();
      await c.waitFor('CALL_CLOSED', 10_000);
      const [forwarded, attempt] = await pbx.waitForCdrs(before + 2);
      expect([attempt!.callee, attempt!.disposition, attempt!.divertedFrom]).toEqual([
        BOB.number,
        'no_answer',
        [],
      ]);
      expect([forwarded!.callee, forwarded!.divertedFrom]).toEqual([CAROL.number, [BOB.number]]);

      const ofCall = (entries: Entry[]): Entry[] =>
        entries.filter((e) => e.sipCallIds?.[0] === forwarded!.sipCallIds[0]);
      expect(ofCall(await history(BOB.number))).toMatchObject([
        { type: 'missed', number: ALICE.number, divertedTo: CAROL.number },
      ]);
      expect(ofCall(await history(CAROL.number))).toMatchObject([{ type: 'inbound', number: ALICE.number }]);
    } finally {
      await pbx.repos.callSettings.updateForExtension(pbx.tenant.id, BOB.number, {
        forwardNoAnswer: null,
        noAnswerSeconds: 20,
      });
    }
  }, 60_000);

  it('voicemail: 1002 has Do Not Disturb and a mailbox; the caller leaves a message; 1002 sees it as missed, voicemail', async () => {
    await pbx.repos.voicemail.update(pbx.tenant.id, BOB.number, { enabled: true });
    await pbx.repos.callSettings.updateForExtension(pbx.tenant.id, BOB.number, { dnd: true });
    try {
      const a = await phone(ALICE);
      const before = (await pbx.cdrs()).length;
      await a.dial(`sip:${BOB.number}@127.0.0.1`);
      await a.waitFor('CALL_ESTABLISHED', 10_000);
      // Greeting and beep (~2.4 s), then a few seconds of Alice's tone: a message is kept.
      await pause(5000);
      await a.hangup();
      const [cdr] = await pbx.waitForCdrs(before + 1);
      expect(cdr).toMatchObject({
        caller: ALICE.number,
        callee: `voicemail:${BOB.number}`,
        dialled: BOB.number,
        divertedFrom: [BOB.number],
      });
      const messages = await pbx.repos.voicemail.messages(pbx.tenant.id, BOB.number);
      expect(messages.map((m) => m.caller)).toEqual([ALICE.number]);

      const [bob] = await history(BOB.number);
      expect(bob).toMatchObject({
        type: 'missed',
        number: ALICE.number,
        line: { username: BOB.number },
        voicemail: true,
        sipCallIds: cdr!.sipCallIds,
      });
      expect(bob!.divertedTo).toBeUndefined();
    } finally {
      await pbx.repos.callSettings.updateForExtension(pbx.tenant.id, BOB.number, { dnd: false });
      await pbx.repos.voicemail.update(pbx.tenant.id, BOB.number, { enabled: false });
    }
  }, 60_000);
});
