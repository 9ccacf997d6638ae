// The peer of bench/media-relay.ts: Debian's rtpengine (user-space forwarding, no kernel
// module), started by the benchmark on loopback and driven over its NG control protocol
// (bencoded dictionaries over UDP) with one offer/answer per call, as a SIP proxy would.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';

const BINARY = '/usr/bin/rtpengine';
const NG_PORT = 22_222;

export const rtpengineAvailable = (): boolean => existsSync(BINARY);

// --- bencode (BEP 3), just what NG needs -------------------------------------------------
type BValue = string | number | BValue[] | { [key: string]: BValue };

function bencode(v: BValue): string {
  if (typeof v === 'number') return `i${Math.trunc(v)}e`;
  if (typeof v === 'string') return `${Buffer.byteLength(v)}:${v}`;
  if (Array.isArray(v)) return `l${v.map(bencode).join('')}e`;
  return `d${Object.keys(v)
    .sort()
    .map((k) => bencode(k) + bencode(v[k]!))
    .join('')}e`;
}

function bdecode(buf: Buffer, at = { i: 0 }): BValue {
  const c = String.fromCharCode(buf[at.i]!);
  if (c === 'i') {
    const end = buf.indexOf(0x65, at.i);
    const n = Number(buf.subarray(at.i + 1, end).toString());
    at.i = end + 1;
    return n;
  }
  if (c === 'l' || c === 'd') {
    at.i++;
    const items: BValue[] = [];
    while (buf[at.i] !== 0x65) items.push(bdecode(buf, at));
    at.i++;
    if (c === 'l') return items;
    const dict: { [key: string]: BValue } = {};
    for (let k = 0; k < items.length; k += 2) dict[String(items[k])] = items[k + 1]!;
    return dict;
  }
  const colon = buf.indexOf(0x3a, at.i);
  const len = Number(buf.subarray(at.i, colon).toString());
  const s = buf.subarray(colon + 1, colon + 1 + len).toString();
  at.i = colon + 1 + len;
  return s;
}

// --- the peer --------------------------------------------------------------------------------

export interface RtpenginePeer {
  readonly version: string;
  /** Offer/answer for one call; returns the ports phone A and phone B must send to. */
  call(id: string, phoneAPort: number, phoneBPort: number): Promise<{ a: number; b: number }>;
  /** CPU seconds used so far by the daemon (all threads), from /proc. */
  cpuSeconds(): number;
  rssKiB(): number;
  stop(): Promise<void>;
}

const sdp = (port: number): string =>
  [
    'v=0',
    'o=- 1 1 IN IP4 127.0.0.1',
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${port} RTP/AVP 0`,
    'a=rtpmap:0 PCMU/8000',
    'a=sendrecv',
    '',
  ].join('\r\n');

function mediaPort(answer: string): number {
  const m = /m=audio (\d+)/.exec(answer);
  if (!m) throw new Error(`rtpengine SDP without m=audio: ${answer}`);
  return Number(m[1]);
}

export async function startRtpengine(portRange: { min: number; max: number }): Promise<RtpenginePeer> {
  const version = /Version: (\S+)/.exec(
    await new Promise<string>((resolve) => {
      const p = spawn(BINARY, ['--version'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      p.stdout.on('data', (d: Buffer) => (out += d.toString()));
      p.stderr.on('data', (d: Buffer) => (out += d.toString()));
      p.on('close', () => resolve(out));
    }),
  )?.[1];
  const daemon: ChildProcess = spawn(
    BINARY,
    [
      '--foreground',
      '--log-stderr',
      '--log-level=3',
      '--table=-1', // no kernel module: user-space forwarding
      '--interface=127.0.0.1',
      `--listen-ng=127.0.0.1:${NG_PORT}`,
      `--port-min=${portRange.min}`,
      `--port-max=${portRange.max}`,
      '--timeout=60',
      '--delete-delay=0',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const ng: Socket = createSocket('udp4');
  ng.bind(0, '127.0.0.1');
  await once(ng, 'listening');
  const waiting = new Map<string, (v: { [key: string]: BValue }) => void>();
  ng.on('message', (msg: Buffer) => {
    const space = msg.indexOf(0x20);
    const cookie = msg.subarray(0, space).toString();
    waiting.get(cookie)?.(bdecode(msg.subarray(space + 1)) as { [key: string]: BValue });
    waiting.delete(cookie);
  });
  let cookieN = 0;
  const command = (dict: { [key: string]: BValue }, retries = 50): Promise<{ [key: string]: BValue }> =>
    new Promise((resolve, reject) => {
      const cookie = `c${++cookieN}`;
      let tries = 0;
      const send = (): void => {
        if (!waiting.has(cookie)) return;
        if (tries++ >= retries) {
          waiting.delete(cookie);
          reject(new Error(`rtpengine did not answer ${String(dict.command)}`));
          return;
        }
        ng.send(`${cookie} ${bencode(dict)}`, NG_PORT, '127.0.0.1');
        setTimeout(send, 200);
      };
      waiting.set(cookie, (v) => {
        if (v.result !== 'ok' && v.result !== 'pong')
          reject(new Error(`rtpengine ${String(dict.command)}: ${JSON.stringify(v)}`));
        else resolve(v);
      });
      send();
    });
  await command({ command: 'ping' }); // retried until the daemon listens
  const pid = daemon.pid!;
  const stat = (): string[] => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return {
    version: version ?? 'unknown',
    async call(id, phoneAPort, phoneBPort) {
      const common = { 'call-id': id, 'from-tag': `${id}-a`, replace: ['origin', 'session-connection'] };
      const offer = await command({ command: 'offer', ...common, sdp: sdp(phoneAPort) });
      const answer = await command({
        command: 'answer',
        ...common,
        'to-tag': `${id}-b`,
        sdp: sdp(phoneBPort),
      });
      // The offer's SDP goes to B (where B sends); the answer's SDP goes to A.
      return { a: mediaPort(String(answer.sdp)), b: mediaPort(String(offer.sdp)) };
    },
    // /proc/PID/stat fields 14 and 15 (utime, stime) in clock ticks of 1/100 s.
    cpuSeconds: () => {
      const f = stat();
      return (Number(f[11]) + Number(f[12])) / 100;
    },
    rssKiB: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0),
    async stop() {
      ng.close();
      daemon.kill('SIGTERM');
      await once(daemon, 'exit');
    },
  };
}
