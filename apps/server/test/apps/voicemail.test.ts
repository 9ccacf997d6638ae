// Voicemail with real peers: a SIPp phone subscribes to its mailbox's message-summary (RFC 3842)
// and gets NOTIFYs; a SIPp caller reaches the unregistered extension, hears the greeting and
// leaves a message with a tone (pcap RTP); the owner's baresip dials *97 and hears the same
// tone; saving it turns the NOTIFY to 0 new / 1 old; the message was e-mailed (outbox) with
// the WAV attached and is listed and downloadable through the API.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '@switchboard/api';
import { readWav } from '@switchboard/media';
import { Baresip, freePort, runSipp, type SippResult } from '@switchboard/testkit';
import { adminToken } from './phones.ts';
import { startPbx, type PbxHarness } from '../harness.ts';
import { peakShare, readHeard, share } from './tone-check.ts';
import { writeTonePcap } from './tone-pcap.ts';

const CALLER = { number: '1001', password: 'vm-1001-secret', name: 'Alice' };
const OWNER = { number: '1002', password: 'vm-1002-secret', name: 'Bob' };
const TONE = 1560;
const scenario = (name: string): string => fileURLToPath(new URL(`../scenarios/${name}`, import.meta.url));
const explain = (r: SippResult): string =>
  `${r.command}\nexit ${r.exitCode}\n${r.errors}\n${r.output.slice(-3000)}`;

describe('voicemail, message waiting and playback', () => {
  let pbx: PbxHarness;
  let dir: string;
  const phones: Baresip[] = [];

  beforeAll(async () => {
    pbx = await startPbx({ extensions: [CALLER, OWNER] });
    dir = await mkdtemp(join(tmpdir(), 'sb-vm-'));
  });
  afterAll(async () => {
    await Promise.all(phones.map((p) => p.cleanup()));
    await pbx?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const until = async <T>(
    read: () => Promise<T>,
    ok: (v: T) => boolean,
    what: string,
    ms = 20_000,
  ): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const value = await read();
      if (ok(value)) return value;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  /** A SIPp call from 1001 to 1002 sending a tone for `seconds` (pcap RTP), then BYE. */
  const leaveMessage = async (seconds: number): Promise<SippResult> => {
    const pcap = join(dir, `tone-${seconds}.pcap`);
    await writeTonePcap(pcap, { hz: TONE, seconds });
    const uac = join(dir, 'uac-call-tone.xml');
    await writeFile(
      uac,
      (await readFile(scenario('uac-call-tone.xml.template'), 'utf8')).replaceAll('@PCAP@', pcap),
    );
    return runSipp({
      scenario: uac,
      target: { host: '127.0.0.1', port: pbx.sipPort },
      service: CALLER.number,
      timeoutSeconds: 40,
      extraArgs: [
        ...['-au', CALLER.number, '-ap', CALLER.password, '-key', 'callee', OWNER.number],
        ...['-d', String(seconds * 1000), '-mp', String(await freePort())],
      ],
    });
  };

  it('a caller leaves a message with a tone; MWI NOTIFYs follow; the owner hears the tone with *97', async () => {
    await pbx.repos.voicemail.update(pbx.tenant.id, OWNER.number, { enabled: true, email: 'bob@vm.test' });

    // 1. The owner's SIPp phone subscribes to message-summary; wait for the first NOTIFY (0/0).
    const messages = join(dir, 'mwi-messages.log');
    const mwi = runSipp({
      scenario: scenario('sub-mwi.xml'),
      target: { host: '127.0.0.1', port: pbx.sipPort },
      service: OWNER.number,
      timeoutSeconds: 90,
      extraArgs: ['-au', OWNER.number, '-ap', OWNER.password, '-trace_msg', '-message_file', messages],
    });
    await Promise.race([
      until(
        () => readFile(messages, 'utf8').catch(() => ''),
        (log) => log.includes('Voice-Message: 0/0'),
        'the first NOTIFY',
      ),
      // SIPp ending this early is a failure: say why.
      mwi.then((r) => Promise.reject(new Error(`SIPp subscriber ended early\n${explain(r)}`))),
    ]);

    // 2. A SIPp caller reaches 1002, which is not registered: voicemail answers; it sends 6 s of tone.
    const caller = await leaveMessage(6);
    expect(caller.exitCode, explain(caller)).toBe(0);
    const counts = await until(
      () => pbx.repos.voicemail.counts(pbx.tenant.id, OWNER.number),
      (c) => c.newMessages === 1,
      'the message',
    );
    expect(counts).toEqual({ newMessages: 1, oldMessages: 0 });
    const [message] = await pbx.repos.voicemail.messages(pbx.tenant.id, OWNER.number);
    expect(message).toMatchObject({ caller: CALLER.number, callerName: CALLER.name, folder: 'new' });
    // Greeting and beep first (~2.4 s), then the tone until the caller hung up.
    expect(message!.durationMs).toBeGreaterThan(2000);
    expect(message!.durationMs).toBeLessThan(6000);
    const stored = readWav(new Uint8Array(await readFile(join(pbx.dataDir, message!.file))));
    if (!stored.ok) throw new Error(stored.error);
    expect(share(stored.value.samples.subarray(4000), TONE, 8000)).toBeGreaterThan(0.8);

    // The e-mail (built-in outbox: no SMTP_URL) carries the WAV.
    const mail = await until(
      () => pbx.repos.outbox.list({ tenantId: pbx.tenant.id, to: 'bob@vm.test' }),
      (l) => l.items.length === 1,
      'the e-mail',
    );
    expect(mail.items[0]!.subject).toContain(CALLER.number);
    expect(mail.items[0]!.attachments[0]).toMatchObject({ contentType: 'audio/wav' });

    // The API lists the message and serves its audio; the mailbox shows the counts.
    const token = await adminToken(pbx, 'admin@vm.test');
    const get = (path: string): Promise<Response> =>
      fetch(`http://127.0.0.1:${pbx.httpPort}/api/v1${path}`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(10_000),
      });
    expect(await (await get(`/voicemail/${OWNER.number}`)).json()).toMatchObject({
      enabled: true,
      hasPin: false,
      newMessages: 1,
      oldMessages: 0,
    });
    const listed = (await (await get(`/voicemail/${OWNER.number}/messages`)).json()) as {
      items: { id: string; audioUrl: string }[];
    };
    expect(listed.items.map((m) => m.id)).toEqual([message!.id]);
    const audio = await fetch(`http://127.0.0.1:${pbx.httpPort}${listed.items[0]!.audioUrl}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(audio.headers.get('content-type')).toBe('audio/wav');
    expect(readWav(new Uint8Array(await audio.arrayBuffer())).ok).toBe(true);

    // 3. The owner's baresip dials *97 (no PIN from its own extension) and hears the message.
    const bob = await Baresip.start({
      account: {
        user: OWNER.number,
        password: OWNER.password,
        registrar: pbx.registrar,
        domain: '127.0.0.1',
      },
      toneHz: 440,
    });
    phones.push(bob);
    await bob.waitForRegistration();
    await bob.dial('sip:*97@127.0.0.1');
    await bob.waitFor('CALL_ESTABLISHED', 10_000);
    // A pip, the message header, the message (≤ 4 s): then the message is heard (old).
    await until(
      () => pbx.repos.voicemail.counts(pbx.tenant.id, OWNER.number),
      (c) => c.oldMessages === 1,
      'the message heard',
    );
    await bob.command('sndcode', '9'); // save
    await new Promise((r) => setTimeout(r, 1_500));
    await bob.command('sndcode', '#'); // done: goodbye, the PBX hangs up
    await bob.waitFor('CALL_CLOSED', 15_000);
    await bob.stop();
    const heard = await readHeard((await bob.recordings()).heard[0]!);
    expect(peakShare(heard, TONE), 'the owner heard the caller').toBeGreaterThan(0.6);

    // 4. The subscriber got 1/0 after the message, 0/1 once heard, and the terminated NOTIFY.
    const result = await mwi;
    expect(result.exitCode, explain(result)).toBe(0);
    expect(await pbx.repos.voicemail.counts(pbx.tenant.id, OWNER.number)).toEqual({
      newMessages: 0,
      oldMessages: 1,
    });
  }, 120_000);

  it('Do Not Disturb and no answer send callers to voicemail too; *98 with the PIN deletes one', async () => {
    const before = (await pbx.repos.voicemail.counts(pbx.tenant.id, OWNER.number)).newMessages;
    // DND: refused with 480 without a mailbox; with one, the mailbox answers.
    await pbx.repos.callSettings.updateForExtension(pbx.tenant.id, OWNER.number, { dnd: true });
    const dnd = await leaveMessage(4);
    expect(dnd.exitCode, explain(dnd)).toBe(0);
    await until(
      () => pbx.repos.voicemail.counts(pbx.tenant.id, OWNER.number),
      (c) => c.newMessages === before + 1,
      'the DND message',
    );
    // No answer: the owner's phone rings for noAnswerSeconds (5 s), then voicemail answers.
    await pbx.repos.callSettings.updateForExtension(pbx.tenant.id, OWNER.number, {
      dnd: false,
      noAnswerSeconds: 5,
    });
    const bob = await Baresip.start({
      account: {
        user: OWNER.number,
        password: OWNER.password,
        registrar: pbx.registrar,
        domain: '127.0.0.1',
      },
      toneHz: 440,
    });
    phones.push(bob);
    await bob.waitForRegistration();
    const ringing = leaveMessage(4);
    await bob.waitFor('CALL_INCOMING', 10_000);
    const unanswered = await ringing;
    expect(unanswered.exitCode, explain(unanswered)).toBe(0);
    await bob.waitFor('CALL_CLOSED', 10_000);
    await until(
      () => pbx.repos.voicemail.counts(pbx.tenant.id, OWNER.number),
      (c) => c.newMessages === before + 2,
      'the no-answer message',
    );
    // *98 from a phone: the mailbox number and its PIN (set through the API), then 7 deletes.
    const user = await pbx.repos.users.findByEmail('admin@vm.test');
    const { token } = await createApiToken(pbx.repos, user!.id, 'pin');
    const patched = await fetch(`http://127.0.0.1:${pbx.httpPort}/api/v1/voicemail/${OWNER.number}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ pin: '2468' }),
    });
    expect(await patched.json()).toMatchObject({ hasPin: true, newMessages: before + 2 });
    await bob.dial('sip:*98@127.0.0.1');
    await until(
      async () => bob.events.filter((e) => e.type === 'CALL_ESTABLISHED').length,
      (n) => n === 1,
      '*98 answered',
    );
    const keys = async (typed: string): Promise<void> => {
      for (const key of typed) {
        await bob.command('sndcode', key);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    await keys('1002#');
    await keys('2468#');
    await until(
      () => pbx.repos.voicemail.counts(pbx.tenant.id, OWNER.number),
      (c) => c.newMessages === before + 1,
      'the first new message heard',
    );
    const total = (await pbx.repos.voicemail.messages(pbx.tenant.id, OWNER.number)).length;
    await keys('7');
    await until(
      () => pbx.repos.voicemail.messages(pbx.tenant.id, OWNER.number),
      (m) => m.length === total - 1,
      'the message deleted',
    );
    await keys('#');
    await until(
      async () => bob.events.filter((e) => e.type === 'CALL_CLOSED').length,
      (n) => n === 2,
      'goodbye',
    );

    const cdrs = await pbx.cdrs();
    expect(cdrs.filter((c) => c.callee === `voicemail:${OWNER.number}`).length).toBeGreaterThanOrEqual(3);
    expect(cdrs.find((c) => c.callee === 'voicemail:any')).toMatchObject({ caller: OWNER.number });
    expect(cdrs.find((c) => c.callee === OWNER.number && c.disposition === 'no_answer')).toBeDefined();
  }, 90_000);
});
