// Music on hold from an MP3 (issue 7: "replaceable per tenant by uploading a WAV or MP3"): an MP3
// of a 1800 Hz tone (encoded here by lamejs) is uploaded through the API, a baresip phone puts
// its call on hold, and the held phone hears 1800 Hz — not the built-in melody — until the
// holder resumes and both hear each other again. Broken uploads (random bytes, a cut-short MP3,
// damaged frames, a track over 5 minutes, a body over the limit) are refused with a clear 4xx
// and leave the track in place.
import { Mp3Encoder } from '@breezystack/lamejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dominantFrequency, readWav } from '@switchboard/media';
import { Baresip } from '@switchboard/testkit';
import { describeTimeline, heardTimeline, windowsAt, windowsBetween } from '../heard-timeline.ts';
import { adminToken, rtpReceived } from './phones.ts';
import { startPbx, type PbxHarness } from '../harness.ts';

const A = { number: '1001', password: 'moh-1001-secret', name: 'Alice' };
const B = { number: '1002', password: 'moh-1002-secret', name: 'Bob' };
const TONE = { [A.number]: 1100, [B.number]: 2600 } as Record<string, number>;
const MUSIC_HZ = 1800;

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** An MP3 of a sine tone (44.1 kHz stereo, 128 kbit/s). */
function mp3Tone(hz: number, seconds: number, rate = 44_100): Uint8Array {
  const pcm = new Int16Array(Math.round(seconds * rate)).map((_, i) =>
    Math.round(9000 * Math.sin((2 * Math.PI * hz * i) / rate)),
  );
  // NOTE: 128 kbit/s: lamejs garbles joint stereo at 64 kbit/s (44.1 kHz).
  const encoder = new Mp3Encoder(2, rate, 128);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < pcm.length; i += 1152) {
    const block = pcm.subarray(i, i + 1152);
    parts.push(encoder.encodeBuffer(block, block));
  }
  parts.push(encoder.flush());
  // NOTE: lamejs hands out Int8Arrays, whatever its types say.
  // (A copy, not a Buffer: Buffer#slice would share the bytes.)
  return new Uint8Array(
    Buffer.concat(parts.map((p) => new Uint8Array(p.buffer, p.byteOffset, p.byteLength))),
  );
}

describe('music on hold from an uploaded MP3, with baresip phones', () => {
  let pbx: PbxHarness;
  let token: string;
  const phones: Baresip[] = [];
  let mp3: Uint8Array;

  beforeAll(async () => {
    // Encoded before the server starts: lamejs holds the (shared) event loop for a while, which
    // the SIP overload guard would take for an overloaded server.
    mp3 = mp3Tone(MUSIC_HZ, 3);
    pbx = await startPbx({ extensions: [A, B] });
    token = await adminToken(pbx, 'admin@moh.test');
  });
  afterAll(async () => {
    await Promise.all(phones.map((p) => p.cleanup()));
    await pbx?.close();
  });

  const api = async (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`http://127.0.0.1:${pbx.httpPort}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      signal: AbortSignal.timeout(20_000),
    });
  const upload = (name: string, bytes: Uint8Array): Promise<Response> =>
    api('PUT', '/music-on-hold', { name, audio: Buffer.from(bytes).toString('base64') });
  const refused = async (response: Response): Promise<{ status: number; code: string; message: string }> => {
    const body = (await response.json()) as { error: { code: string; message: string } };
    return { status: response.status, code: body.error.code, message: body.error.message };
  };

  it('an MP3 upload becomes the 8 kHz track; broken files get a 4xx and change nothing', async () => {
    const ok = await upload('tone.mp3', mp3);
    expect(ok.status, await ok.clone().text()).toBe(200);
    const view = (await ok.json()) as { custom: boolean; name: string; durationSeconds: number };
    expect(view).toMatchObject({ custom: true, name: 'tone.mp3' });
    expect(view.durationSeconds).toBeGreaterThanOrEqual(3);
    expect(view.durationSeconds).toBeLessThan(3.2);
    // What the PBX plays: 8 kHz mono at the MP3's pitch.
    const audio = await api('GET', '/music-on-hold/audio');
    const wav = readWav(new Uint8Array(await audio.arrayBuffer()));
    if (!wav.ok) throw new Error(wav.error);
    expect(wav.value).toMatchObject({ sampleRate: 8000, channels: 1 });
    expect(
      dominantFrequency(wav.value.samples.subarray(8000, 16_000), {
        sampleRate: 8000,
        min: 100,
        max: 3800,
        step: 10,
      }),
    ).toBe(MUSIC_HZ);

    // Random bytes: neither format.
    const noise = new Uint8Array(20_000).map((_, i) => (i * 7919 + 13) % 251);
    expect(await refused(await upload('noise.mp3', noise))).toMatchObject({
      status: 400,
      code: 'validation_failed',
      message: expect.stringMatching(/neither a WAV nor an MP3/),
    });
    // An MP3 cut short (an upload that did not finish).
    expect(await refused(await upload('cut.mp3', mp3.subarray(0, mp3.length - 150)))).toMatchObject({
      status: 400,
      message: expect.stringMatching(/cut short/),
    });
    // Damaged frames in the middle.
    const damaged = mp3.slice();
    damaged.fill(0x55, 4000, 4800);
    expect(await refused(await upload('damaged.mp3', damaged))).toMatchObject({
      status: 400,
      message: expect.stringMatching(/corrupt MPEG audio/),
    });
    // Over 5 minutes (the same frames 110 times: 330 s), refused before decoding.
    const long = Buffer.concat(Array.from({ length: 110 }, () => mp3));
    expect(await refused(await upload('long.mp3', long))).toMatchObject({
      status: 400,
      message: expect.stringMatching(/longer than allowed/),
    });
    // A body over the 8 MiB limit.
    const huge = JSON.stringify({ name: 'huge.mp3', audio: 'A'.repeat(9 * 1024 * 1024) });
    expect(await refused(await api('PUT', '/music-on-hold', huge))).toMatchObject({
      status: 413,
      code: 'payload_too_large',
    });
    // None of them replaced the track.
    expect(await (await api('GET', '/music-on-hold')).json()).toMatchObject({
      custom: true,
      name: 'tone.mp3',
    });
  }, 60_000);

  it("hold plays the MP3's tone to the held phone; resume restores two-way audio", async () => {
    const start = async (user: typeof A): Promise<Baresip> => {
      const p = await Baresip.start({
        account: {
          user: user.number,
          password: user.password,
          registrar: pbx.registrar,
          domain: '127.0.0.1',
        },
        toneHz: TONE[user.number]!,
      });
      phones.push(p);
      await p.waitForRegistration();
      return p;
    };
    const [a, b] = await Promise.all([start(A), start(B)]);
    await a.dial(`sip:${B.number}@127.0.0.1`);
    await b.waitFor('CALL_INCOMING', 10_000);
    await b.answer();
    await Promise.all([a.waitFor('CALL_ESTABLISHED', 10_000), b.waitFor('CALL_ESTABLISHED', 10_000)]);
    await pause(1500);
    expect((await a.command('hold')).ok).toBe(true); // re-INVITE a=sendonly
    await pause(1000);
    const holding = await rtpReceived(a);
    await pause(2000);
    const held = await rtpReceived(a);
    expect((await a.command('resume')).ok).toBe(true); // re-INVITE a=sendrecv
    await pause(500);
    const resumed = await rtpReceived(a);
    await pause(1500);
    const talking = await rtpReceived(a);
    await a.hangup();
    await Promise.all([a.waitFor('CALL_CLOSED', 10_000), b.waitFor('CALL_CLOSED', 10_000)]);
    await Promise.all([a.stop(), b.stop()]);

    const atB = await heardTimeline((await b.recordings()).heard.at(-1)!);
    const atA = await heardTimeline((await a.recordings()).heard.at(-1)!);
    const picture = `B heard: ${describeTimeline(atB)}\nA heard: ${describeTimeline(atA)}`;
    const music = windowsAt(atB, MUSIC_HZ);
    const alice = windowsAt(atB, TONE[A.number]!);
    // Alice, then at least two seconds of the MP3's tone, then Alice again.
    expect(music.length, picture).toBeGreaterThanOrEqual(8);
    expect(
      alice.some((i) => i < music[0]!),
      picture,
    ).toBe(true);
    expect(
      alice.some((i) => i > music.at(-1)!),
      picture,
    ).toBe(true);
    // Not the built-in melody (200–900 Hz).
    expect(windowsBetween(atB, 200, 900), picture).toEqual([]);
    // Alice heard Bob before holding.
    expect(windowsAt(atA, TONE[B.number]!).length, picture).toBeGreaterThanOrEqual(4);
    // While holding, the PBX sends Alice nothing (her leg is inactive); after resuming she gets
    // Bob's 50 packets a second again. NOTE: counted from baresip's RTCP statistics, because
    // baresip 1.0 leaves its recorder (sndfile) out of the receive path rebuilt after a hold.
    expect(held - holding, `packets to Alice on hold`).toBeLessThan(10);
    expect(talking - resumed, `packets to Alice in 1.5 s after resuming`).toBeGreaterThan(50);
  }, 60_000);
});
