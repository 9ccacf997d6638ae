// linphonec (liblinphone) registers and calls a baresip through the PBX: both register with
// digest auth, the call is answered, each hears the other's tone, and the CDR is right.
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeWav } from '@switchboard/media';
import { Baresip, Linphone } from '@switchboard/testkit';
import { analyseHeard } from './audio.ts';
import { startPbx, type PbxHarness } from './harness.ts';

const LIN = { number: '2001', password: 'lin-2001-pw', name: 'Linphone' };
const BARE = { number: '2002', password: 'bare-2002-pw', name: 'Baresip' };
const TONE_LIN = 700;
const TONE_BARE = 1500;

/** A 16-bit mono WAV of a sine tone. */
function toneWav(hz: number, seconds: number, rate = 8000): Uint8Array {
  const samples = new Int16Array(seconds * rate);
  for (let i = 0; i < samples.length; i++)
    samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / rate));
  return writeWav({ format: 'pcm16', sampleRate: rate, channels: 1, samples });
}

describe('linphonec calls baresip through the PBX', () => {
  let pbx: PbxHarness;
  let dir: string;
  let linphone: Linphone | undefined;
  let baresip: Baresip | undefined;

  beforeAll(async () => {
    pbx = await startPbx({ extensions: [LIN, BARE] });
    dir = await mkdtemp(join(tmpdir(), 'linphone-audio-'));
  });
  afterAll(async () => {
    await linphone?.cleanup();
    await baresip?.cleanup();
    await pbx?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('registers, calls, both sides hear each other, CDR answered', async () => {
    const wav = join(dir, 'tone.wav');
    await writeFile(wav, toneWav(TONE_LIN, 30));
    baresip = await Baresip.start({
      account: { user: BARE.number, password: BARE.password, registrar: pbx.registrar, domain: '127.0.0.1' },
      toneHz: TONE_BARE,
    });
    linphone = await Linphone.start({
      account: { user: LIN.number, password: LIN.password, registrar: pbx.registrar },
      playWav: wav,
    });
    await Promise.all([baresip.waitForRegistration(), linphone.waitForRegistration(15_000)]);

    linphone.call(`sip:${BARE.number}@127.0.0.1`);
    await baresip.waitFor('CALL_INCOMING', 10_000);
    await baresip.answer();
    await baresip.waitFor('CALL_ESTABLISHED', 10_000);
    await linphone.waitForOutput(/Media streams established|connected/, 10_000);
    await new Promise((r) => setTimeout(r, 3_000));
    linphone.terminate();
    await baresip.waitFor('CALL_CLOSED', 10_000);
    const [cdr] = await pbx.waitForCdrs(1);
    await Promise.all([linphone.stop(), baresip.stop()]);

    const heardByBare = (await baresip.recordings()).heard;
    expect(heardByBare).toHaveLength(1);
    const atBare = await analyseHeard(heardByBare[0]!);
    const atLin = await analyseHeard(linphone.recordWav);
    expect(Math.abs(atBare.frequency - TONE_LIN), `baresip heard ${atBare.frequency} Hz`).toBeLessThanOrEqual(
      20,
    );
    expect(
      Math.abs(atLin.frequency - TONE_BARE),
      `linphonec heard ${atLin.frequency} Hz`,
    ).toBeLessThanOrEqual(20);
    expect(cdr).toMatchObject({
      disposition: 'answered',
      caller: LIN.number,
      callee: BARE.number,
      hangupSide: 'caller',
    });
    expect(cdr!.billableSeconds).toBeGreaterThan(0);
    expect(cdr!.sipCallIds).toHaveLength(2);
  }, 90_000);
});
