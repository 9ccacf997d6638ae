// Load generator for bench/media-relay.ts, run as its own process (forked with tsx) so the
// relay under test does not pay for the load. It plays 2 × N phones: each sends 20 ms G.711
// packets (172 octets) to its relay leg and receives its peer's packets back.
//
// Measurement: each phone remembers when it sent each sequence number; the receiving phone
// computes the one-way transit (relay + kernel + both event loops) and, from it, RFC 3550
// interarrival jitter (A.8) in ms. Using real send times removes this process's own
// scheduling irregularity from the jitter; what is left is what the path added.
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { PCMU, ToneGenerator } from '@switchboard/media';

export type LoadRequest =
  | { readonly type: 'open'; readonly phones: number }
  /** `targets[i]`: where phone i sends; `peers[i]`: whose packets phone i receives. */
  | {
      readonly type: 'start';
      readonly targets: readonly number[];
      readonly peers: readonly number[];
      readonly warmupMs: number;
      readonly durationMs: number;
    };

export type LoadReply =
  | { readonly type: 'opened'; readonly ports: number[] }
  | { readonly type: 'result'; readonly result: LoadResult };

export interface LoadResult {
  readonly streams: number;
  readonly sent: number;
  readonly received: number;
  /** Mean and 99th percentile over streams of the RFC 3550 jitter at the end, ms. */
  readonly jitterMeanMs: number;
  readonly jitterP99Ms: number;
  readonly transitP50Ms: number;
  readonly transitP99Ms: number;
  readonly transitMaxMs: number;
  /** Sends that started more than 5 ms after their 20 ms slot (the generator lagging). */
  readonly lateSends: number;
  readonly cpuSeconds: number;
}

const SLOTS = 20; // phones are spread over 20 one-millisecond slots of the 20 ms period
const RING = 1024; // send times kept per phone, by sequence number

const send = (m: LoadReply): void => {
  process.send!(m);
};

const sockets: Socket[] = [];

async function open(phones: number): Promise<void> {
  const bound: Promise<unknown>[] = [];
  for (let i = 0; i < phones; i++) {
    // An IP literal needs no DNS lookup. The lookup answers synchronously, so 'listening' can
    // fire inside bind(): listen for it first.
    const s = createSocket({ type: 'udp4', lookup: (a, _o, cb) => cb(null, a, 4) });
    bound.push(once(s, 'listening'));
    s.bind(0, '127.0.0.1');
    sockets.push(s);
  }
  await Promise.all(bound);
  send({ type: 'opened', ports: sockets.map((s) => s.address().port) });
}

async function start(req: Extract<LoadRequest, { type: 'start' }>): Promise<void> {
  const n = sockets.length;
  const payload = PCMU.encode(new ToneGenerator([440]).next(160));
  const template = Buffer.alloc(172);
  template[0] = 0x80;
  template.set(payload, 12);
  const seq = new Uint16Array(n).map(() => Math.floor(Math.random() * 30000));
  const ts = new Uint32Array(n);
  const sentAt = new Float64Array(n * RING);
  const jitter = new Float64Array(n);
  const lastTransit = new Float64Array(n).fill(NaN);
  const received = new Uint32Array(n);
  const transits: number[] = [];
  let sent = 0;
  let lateSends = 0;
  const t0 = performance.now() + 50;
  const measureFrom = t0 + req.warmupMs;
  const stopAt = measureFrom + req.durationMs;

  sockets.forEach((socket, i) => {
    const peer = req.peers[i]!;
    socket.on('message', (msg: Buffer) => {
      const now = performance.now();
      const s = (msg[2]! << 8) | msg[3]!;
      const at = sentAt[peer * RING + (s % RING)]!;
      if (at < measureFrom || at === 0) return;
      received[i]!++;
      const transit = now - at;
      if (received[i]! % 8 === 0) transits.push(transit);
      const prev = lastTransit[i]!;
      if (!Number.isNaN(prev)) jitter[i]! += (Math.abs(transit - prev) - jitter[i]!) / 16;
      lastTransit[i] = transit;
    });
  });

  const ssrcBase = 0x10000000;
  let nextTick = 0; // index of the next 1 ms slot to serve
  const cpuStart = process.cpuUsage();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      // Serve every slot that is due (catching up if the loop was late).
      while (t0 + nextTick <= now) {
        const slotTime = t0 + nextTick;
        if (slotTime >= stopAt) {
          clearInterval(timer);
          resolve();
          return;
        }
        if (now - slotTime > 5) lateSends++;
        const slot = nextTick % SLOTS;
        const measuring = slotTime >= measureFrom;
        for (let i = slot; i < n; i += SLOTS) {
          const buf = Buffer.allocUnsafe(172);
          template.copy(buf);
          const s = seq[i]!;
          buf[2] = s >> 8;
          buf[3] = s & 0xff;
          buf.writeUInt32BE(ts[i]!, 4);
          buf.writeUInt32BE(ssrcBase + i, 8);
          sentAt[i * RING + (s % RING)] = measuring ? performance.now() : -1;
          sockets[i]!.send(buf, req.targets[i]!, '127.0.0.1');
          seq[i] = (s + 1) & 0xffff;
          ts[i] = (ts[i]! + 160) >>> 0;
          if (measuring) sent++;
        }
        nextTick++;
      }
    }, 1);
  });
  await new Promise((r) => setTimeout(r, 500)); // let the last packets drain
  const cpu = process.cpuUsage(cpuStart);
  const totalReceived = received.reduce((a, b) => a + b, 0);
  const sortedJitter = [...jitter].sort((a, b) => a - b);
  transits.sort((a, b) => a - b);
  const pct = (arr: number[], p: number): number =>
    arr[Math.min(arr.length - 1, Math.floor(arr.length * p))] ?? NaN;
  send({
    type: 'result',
    result: {
      streams: n,
      sent,
      received: totalReceived,
      jitterMeanMs: sortedJitter.reduce((a, b) => a + b, 0) / n,
      jitterP99Ms: pct(sortedJitter, 0.99),
      transitP50Ms: pct(transits, 0.5),
      transitP99Ms: pct(transits, 0.99),
      transitMaxMs: transits[transits.length - 1] ?? NaN,
      lateSends,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
    },
  });
  for (const s of sockets) s.close();
  process.disconnect();
}

process.on('message', (req: LoadRequest) => {
  if (req.type === 'open') void open(req.phones);
  else void start(req);
});
