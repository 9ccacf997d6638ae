// Audio codecs as SDP names them: the static payload types of RFC 3551 §6 (Table 4), and a
// small registry of codecs the platform can offer with dynamic payload types (RFC 3551 §3:
// 96–127 are bound by `a=rtpmap`).
//
// NOTE: G.722 is written `G722/8000` although it samples at 16 kHz: RFC 3551 §4.5.2 fixed
// its RTP clock rate at 8000 "for historical reasons". Opus is always `opus/48000/2`
// (RFC 7587 §7), whatever the actual rate and channel count.

/** A codec as negotiated in SDP (the rtpmap triple plus our local fmtp). */
export interface AudioCodec {
  /** Encoding name as written in rtpmap (`PCMU`, `opus`, `telephone-event`). */
  readonly name: string;
  readonly clockRate: number;
  /** Channels; 1 unless the rtpmap says otherwise (RFC 4566 §6, rtpmap). */
  readonly channels: number;
  /**
   * The static payload type (0, 8, 9, 18…), or the dynamic one we prefer for this codec.
   * Offers keep it when free; otherwise a free dynamic number is chosen.
   */
  readonly payloadType?: number;
  /** The fmtp parameters we put in our SDP for this codec (what we want to receive). */
  readonly fmtp?: string;
}

/** The rtpmap the RFC 3551 static payload types imply when no `a=rtpmap` is present. */
export const STATIC_PAYLOAD_TYPES: ReadonlyMap<number, AudioCodec> = new Map(
  (
    [
      [0, 'PCMU', 8000],
      [3, 'GSM', 8000],
      [4, 'G723', 8000],
      [5, 'DVI4', 8000],
      [6, 'DVI4', 16000],
      [7, 'LPC', 8000],
      [8, 'PCMA', 8000],
      [9, 'G722', 8000],
      [10, 'L16', 44100, 2],
      [11, 'L16', 44100],
      [12, 'QCELP', 8000],
      [13, 'CN', 8000],
      [14, 'MPA', 90000],
      [15, 'G728', 8000],
      [16, 'DVI4', 11025],
      [17, 'DVI4', 22050],
      [18, 'G729', 8000],
      [25, 'CelB', 90000],
      [26, 'JPEG', 90000],
      [28, 'nv', 90000],
      [31, 'H261', 90000],
      [32, 'MPV', 90000],
      [33, 'MP2T', 90000],
      [34, 'H263', 90000],
    ] as const
  ).map(([pt, name, clockRate, channels]) => [
    pt,
    { name, clockRate, channels: channels ?? 1, payloadType: pt },
  ]),
);

/** Whether two descriptions name the same codec: name (case-insensitive), rate, channels. */
export function sameCodec(
  a: Pick<AudioCodec, 'name' | 'clockRate' | 'channels'>,
  b: Pick<AudioCodec, 'name' | 'clockRate' | 'channels'>,
): boolean {
  return (
    a.name.toLowerCase() === b.name.toLowerCase() && a.clockRate === b.clockRate && a.channels === b.channels
  );
}

export const isTelephoneEvent = (c: Pick<AudioCodec, 'name'>): boolean =>
  c.name.toLowerCase() === 'telephone-event';

/** RFC 4733 §2.5.1: events 0–15 are the DTMF digits 0-9 * # A-D; 16 is flash. */
export const DEFAULT_TELEPHONE_EVENTS = '0-16';

/** Codecs known by name. Register more with `register`. */
export class CodecRegistry {
  readonly #byName = new Map<string, AudioCodec[]>();

  constructor(codecs: readonly AudioCodec[] = []) {
    for (const c of codecs) this.register(c);
  }

  register(codec: AudioCodec): this {
    const key = codec.name.toLowerCase();
    const list = (this.#byName.get(key) ?? []).filter((c) => !sameCodec(c, codec));
    list.push(codec);
    this.#byName.set(key, list);
    return this;
  }

  /** The codec named `name` (any case), optionally at a given clock rate and channel count. */
  get(name: string, clockRate?: number, channels?: number): AudioCodec | undefined {
    return this.#byName
      .get(name.toLowerCase())
      ?.find(
        (c) =>
          (clockRate === undefined || c.clockRate === clockRate) &&
          (channels === undefined || c.channels === channels),
      );
  }

  /**
   * Resolves configured names (`PCMU`, `opus`, `telephone-event/48000`) to codecs, or says
   * which name is unknown — for validating configuration once, at start-up.
   */
  resolve(names: readonly string[]): { ok: true; codecs: AudioCodec[] } | { ok: false; reason: string } {
    const codecs: AudioCodec[] = [];
    for (const spec of names) {
      const [name = '', rate, ch] = spec.trim().split('/');
      const codec = this.get(
        name,
        rate === undefined ? undefined : Number(rate),
        ch === undefined ? undefined : Number(ch),
      );
      if (!codec) return { ok: false, reason: `unknown codec "${spec}"` };
      codecs.push(codec);
    }
    return { ok: true, codecs };
  }

  all(): AudioCodec[] {
    return [...this.#byName.values()].flat();
  }
}

/** The audio codecs Switchboard knows out of the box. */
export const defaultCodecs = new CodecRegistry([
  { name: 'PCMU', clockRate: 8000, channels: 1, payloadType: 0 },
  { name: 'PCMA', clockRate: 8000, channels: 1, payloadType: 8 },
  { name: 'G722', clockRate: 8000, channels: 1, payloadType: 9 },
  // RFC 4749 §5.1 / Annex B: we do not run G.729's silence suppression.
  { name: 'G729', clockRate: 8000, channels: 1, payloadType: 18, fmtp: 'annexb=no' },
  { name: 'GSM', clockRate: 8000, channels: 1, payloadType: 3 },
  { name: 'CN', clockRate: 8000, channels: 1, payloadType: 13 },
  // RFC 7587 §7: opus/48000/2 always; in-band FEC on, 10 ms minimum packet.
  { name: 'opus', clockRate: 48000, channels: 2, payloadType: 111, fmtp: 'minptime=10;useinbandfec=1' },
  { name: 'telephone-event', clockRate: 8000, channels: 1, payloadType: 101, fmtp: DEFAULT_TELEPHONE_EVENTS },
  {
    name: 'telephone-event',
    clockRate: 16000,
    channels: 1,
    payloadType: 102,
    fmtp: DEFAULT_TELEPHONE_EVENTS,
  },
  {
    name: 'telephone-event',
    clockRate: 48000,
    channels: 1,
    payloadType: 110,
    fmtp: DEFAULT_TELEPHONE_EVENTS,
  },
]);

/** Shorthand for `defaultCodecs.get(…)`. */
export function audioCodec(name: string, clockRate?: number, channels?: number): AudioCodec | undefined {
  return defaultCodecs.get(name, clockRate, channels);
}
