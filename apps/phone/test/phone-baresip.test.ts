// The softphone in Chromium (fake microphone: a 700 Hz tone) calls a real baresip registered to
// the PBX over UDP (it sends 1500 Hz and records what it hears): the browser dials from the dial
// pad, baresip answers, and the recording baresip made must carry the browser's tone — WebRTC
// (DTLS-SRTP) on the browser's leg, plain RTP/G.711 on baresip's, bridged by the PBX.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Baresip } from '@switchboard/testkit';
import { readFile } from 'node:fs/promises';
import { dominantFrequency, readWav } from '@switchboard/media';
import { buildPhone, launchPhone, startTestServer, type PhoneBrowser, type TestServer } from './harness.ts';
import { expectHearing, lineConnected, party } from './steps.ts';

const BROWSER = { number: '2001', password: 'browser-secret-01', name: 'Web Phone' };
const DESK = { number: '2002', password: 'baresip-secret-02', name: 'Desk Phone' };
const BROWSER_TONE = 700;
const BARESIP_TONE = 1500;

/** The dominant frequency of the loudest second of a recording (channel 0). */
async function heardFrequency(file: string): Promise<{ frequency: number; rms: number }> {
  const wav = readWav(new Uint8Array(await readFile(file)));
  if (!wav.ok) throw new Error(`${file}: ${wav.error}`);
  const { samples, channels, sampleRate } = wav.value;
  const mono = new Int16Array(Math.floor(samples.length / channels));
  for (let i = 0; i < mono.length; i++) mono[i] = samples[i * channels] ?? 0;
  const window = Math.min(sampleRate, mono.length);
  let best = { start: 0, energy: -1 };
  for (let start = 0; start + window <= mono.length; start += Math.floor(sampleRate / 4)) {
    let energy = 0;
    for (let i = start; i < start + window; i++) energy += (mono[i] ?? 0) ** 2;
    if (energy > best.energy) best = { start, energy };
  }
  const rms = Math.sqrt(Math.max(best.energy, 0) / Math.max(window, 1));
  const slice = mono.subarray(best.start, best.start + window);
  return {
    frequency: rms < 30 ? 0 : dominantFrequency(slice, { sampleRate, min: 100, max: 3800, step: 10 }),
    rms,
  };
}

describe('softphone calls a registered baresip', () => {
  let srv: TestServer;
  let browser: PhoneBrowser;
  let desk: Baresip;

  beforeAll(async () => {
    buildPhone();
    srv = await startTestServer();
    const device = await srv.provision(BROWSER);
    await srv.extension(DESK);
    desk = await Baresip.start({
      account: {
        user: DESK.number,
        password: DESK.password,
        registrar: `127.0.0.1:${srv.sipPort}`,
        domain: '127.0.0.1',
      },
      toneHz: BARESIP_TONE,
      answerMode: 'auto',
    });
    await desk.waitForRegistration(15_000);
    browser = await launchPhone(srv.baseUrl, BROWSER_TONE);
    await browser.page.goto(device.link);
    await lineConnected(browser.page, BROWSER.name);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await desk?.cleanup();
    await srv?.close();
  });

  it('dials from the dial pad, baresip answers, and baresip hears the browser’s tone', async () => {
    const page = browser.page;
    await page
      .getByRole('toolbar', { name: 'Phone functions' })
      .getByRole('button', { name: 'Dial pad' })
      .click();
    // Typed on the keyboard, outside any field: the dial pad takes the digits.
    await page.locator('body').click({ position: { x: 5, y: 890 } });
    await page.keyboard.type(DESK.number);
    expect(await page.getByLabel('Phone number').inputValue()).toBe(DESK.number);
    await page.keyboard.press('Enter');
    await desk.waitFor('CALL_ESTABLISHED', 15_000);
    await party(page, DESK.number).getByRole('button', { name: 'Hang up' }).waitFor();
    // The browser hears baresip too.
    const heard = await expectHearing(page, 'browser');
    expect(heard.codec).toMatch(/PCM[UA]|opus/i);
    await new Promise((r) => setTimeout(r, 2_500));
    await page
      .getByRole('toolbar', { name: 'Phone functions' })
      .getByRole('button', { name: 'Hang up' })
      .click();
    await desk.waitFor('CALL_CLOSED', 10_000);
    await desk.stop();
    const { heard: files } = await desk.recordings();
    expect(files).toHaveLength(1);
    const result = await heardFrequency(files[0]!);
    expect(
      Math.abs(result.frequency - BROWSER_TONE),
      `baresip heard ${result.frequency} Hz (rms ${result.rms})`,
    ).toBeLessThanOrEqual(20);
  }, 60_000);
});
