// The ringtone and the call-waiting beep, made here as WAV (no audio files to ship or fetch):
// a 440+480 Hz ring, two seconds on and four off; during a call, a short 440 Hz beep instead.
type AudioWithSink = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };

const RATE = 8000;

function wav(samples: Float32Array): Blob {
  const data = new DataView(new ArrayBuffer(44 + samples.length * 2));
  const text = (offset: number, s: string) =>
    [...s].forEach((c, i) => data.setUint8(offset + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  data.setUint32(4, 36 + samples.length * 2, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  data.setUint32(16, 16, true);
  data.setUint16(20, 1, true);
  data.setUint16(22, 1, true);
  data.setUint32(24, RATE, true);
  data.setUint32(28, RATE * 2, true);
  data.setUint16(32, 2, true);
  data.setUint16(34, 16, true);
  text(36, 'data');
  data.setUint32(40, samples.length * 2, true);
  samples.forEach((s, i) => data.setInt16(44 + i * 2, Math.round(s * 32767 * 0.4), true));
  return new Blob([data.buffer], { type: 'audio/wav' });
}

function tone(seconds: number, onSeconds: number, frequencies: readonly number[]): Blob {
  const samples = new Float32Array(Math.round(seconds * RATE));
  for (let i = 0; i < samples.length; i++) {
    const t = i / RATE;
    if (t >= onSeconds) break;
    samples[i] = frequencies.reduce((sum, f) => sum + Math.sin(2 * Math.PI * f * t), 0) / frequencies.length;
  }
  return wav(samples);
}

export class Ringer {
  private readonly ring: AudioWithSink;
  private readonly beep: AudioWithSink;
  private playing: 'ring' | 'beep' | undefined;

  constructor() {
    this.ring = new Audio(URL.createObjectURL(tone(6, 2, [440, 480]))) as AudioWithSink;
    this.ring.loop = true;
    this.beep = new Audio(URL.createObjectURL(tone(4, 0.3, [440]))) as AudioWithSink;
    this.beep.loop = true;
  }

  get state(): 'ring' | 'beep' | undefined {
    return this.playing;
  }

  async setOutput(deviceId: string | undefined): Promise<void> {
    if (!deviceId) return;
    for (const audio of [this.ring, this.beep])
      if (typeof audio.setSinkId === 'function') await audio.setSinkId(deviceId).catch(() => undefined);
  }

  /** Rings (no call going on) or beeps (a call is going on); undefined stops both. */
  set(mode: 'ring' | 'beep' | undefined): void {
    if (mode === this.playing) return;
    this.playing = mode;
    for (const [name, audio] of [
      ['ring', this.ring],
      ['beep', this.beep],
    ] as const) {
      if (name === mode) {
        audio.currentTime = 0;
        // Browsers refuse sound before the user touched the page; the notification still shows.
        void audio.play().catch(() => undefined);
      } else audio.pause();
    }
  }
}
