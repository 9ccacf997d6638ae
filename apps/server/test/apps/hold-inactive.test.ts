// Hold with `a=inactive` (RFC 3264 §8.4), the other way phones hold besides `sendonly` (baresip's,
// call-features.test.ts): a SIPp phone sending a tone calls a baresip, re-INVITEs `inactive`
// (the PBX must answer `inactive`) and later `sendrecv` (answered `sendrecv`). The baresip hears
// the tone, then music on hold, then the tone again.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Baresip, freePort, runSipp, type SippResult } from '@switchboard/testkit';
import { describeTimeline, heardTimeline, windowsAt, windowsBetween } from '../heard-timeline.ts';
import { startPbx, type PbxHarness } from '../harness.ts';
import { writeTonePcap } from './tone-pcap.ts';

const CALLER = { number: '1001', password: 'hi-1001-secret', name: 'Alice' };
const CALLEE = { number: '1002', password: 'hi-1002-secret', name: 'Bob' };
const TONE = 1560;
const scenario = (name: string): string => fileURLToPath(new URL(`../scenarios/${name}`, import.meta.url));
const explain = (r: SippResult): string =>
  `${r.command}\nexit ${r.exitCode}\n${r.errors}\n${r.output.slice(-3000)}`;

describe('hold with a=inactive from a SIPp phone', () => {
  let pbx: PbxHarness;
  let dir: string;
  const phones: Baresip[] = [];

  beforeAll(async () => {
    pbx = await startPbx({ extensions: [CALLER, CALLEE] });
    dir = await mkdtemp(join(tmpdir(), 'sb-hold-'));
  });
  afterAll(async () => {
    await Promise.all(phones.map((p) => p.cleanup()));
    await pbx?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the held phone hears music while the holder is inactive, the holder again once it resumes', async () => {
    const bob = await Baresip.start({
      account: {
        user: CALLEE.number,
        password: CALLEE.password,
        registrar: pbx.registrar,
        domain: '127.0.0.1',
      },
      toneHz: 2600,
      answerMode: 'auto',
    });
    phones.push(bob);
    await bob.waitForRegistration();

    const pcap = join(dir, 'tone.pcap');
    await writeTonePcap(pcap, { hz: TONE, seconds: 9 });
    const uac = join(dir, 'uac-hold-inactive.xml');
    await writeFile(
      uac,
      (await readFile(scenario('uac-hold-inactive.xml.template'), 'utf8')).replaceAll('@PCAP@', pcap),
    );
    const result = await runSipp({
      scenario: uac,
      target: { host: '127.0.0.1', port: pbx.sipPort },
      service: CALLER.number,
      timeoutSeconds: 40,
      extraArgs: [
        ...['-au', CALLER.number, '-ap', CALLER.password, '-key', 'callee', CALLEE.number],
        ...['-mp', String(await freePort())],
      ],
    });
    // Exit 0 also says the PBX answered `inactive`, then `sendrecv` (the scenario checks both).
    expect(result.exitCode, explain(result)).toBe(0);
    await bob.waitFor('CALL_CLOSED', 10_000);
    await bob.stop();

    const atBob = await heardTimeline((await bob.recordings()).heard.at(-1)!);
    const picture = describeTimeline(atBob);
    const caller = windowsAt(atBob, TONE);
    const music = windowsBetween(atBob, 200, 900);
    // The caller's tone, at least two seconds of music, then the caller's tone again.
    expect(music.length, picture).toBeGreaterThanOrEqual(8);
    expect(
      caller.some((i) => i < music[0]!),
      picture,
    ).toBe(true);
    expect(
      caller.some((i) => i > music.at(-1)!),
      picture,
    ).toBe(true);
    // No caller tone during the music: the holder's leg is not relayed while inactive.
    expect(
      caller.filter((i) => i > music[0]! && i < music.at(-1)!),
      picture,
    ).toEqual([]);
    const [cdr] = await pbx.waitForCdrs(1);
    expect(cdr).toMatchObject({ disposition: 'answered', caller: CALLER.number, callee: CALLEE.number });
  }, 60_000);
});
