// Concurrent browser legs (issue 6): WebRTC legs (ICE-lite, DTLS-SRTP) bridged through the
// media relay to plain RTP phones, against plain RTP legs through the same relay in the same run.
//
// Each call: a "browser" (webrtc-load.c: a STUN check, an OpenSSL DTLS handshake, then SRTP)
// ⇄ the PBX's WebRTC leg (worker threads) ⇄ relay leg a ⇄ relay leg b ⇄ a plain RTP phone.
// Every side sends one 20 ms PCMU packet every 20 ms. The baseline row replaces the browser
// and its WebRTC leg with a plain RTP phone on relay leg a. Reported per row: loss each way,
// jitter and transit, the PBX's CPU (all threads) and memory per call, setup time.
//
//   npm run bench -- webrtc-legs                        (200 calls, every row)
//   npx tsx bench/webrtc-legs.ts --calls 300 --duration 10 --workers 2 [--no-plain] [--profiles gcm,cm]
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  createMediaEngine,
  createWebRtcGateway,
  type MediaEngine,
  type Relay,
  type WebRtcCounters,
  type WebRtcGateway,
  type WebRtcLeg,
} from '@switchboard/media-node';
import type { BenchGoal, BenchResult, BenchTable } from './lib/bench-result.ts';
import {
  startLoad,
  type CallTargets,
  type LoadResult,
  type OfferedProfiles,
} from './webrtc-legs/generator.ts';
import { weriftLeg, type WeriftLeg } from './webrtc-legs/werift-peer.ts';

export interface WebRtcLegsBenchOptions {
  readonly calls?: number;
  readonly durationS?: number;
  readonly warmupS?: number;
  /** WebRTC worker-thread counts to run (default 2 and 1). */
  readonly workers?: readonly number[];
  /** SRTP profiles to run with the first worker count (default gcm and cm). */
  readonly profiles?: readonly ('gcm' | 'cm')[];
  /** Include the plain-RTP baseline row (default true). */
  readonly plain?: boolean;
  /** Include the werift RTCPeerConnection peer row (default true). */
  readonly werift?: boolean;
}

type Scenario =
  | { readonly kind: 'plain'; readonly label: string }
  | { readonly kind: 'werift'; readonly label: string }
  | {
      readonly kind: 'webrtc';
      readonly label: string;
      readonly workers: number;
      readonly profiles: OfferedProfiles;
    };

interface Outcome {
  readonly scenario: Scenario;
  readonly load: LoadResult;
  readonly connected: number;
  readonly profile: string;
  readonly setupSeconds: number;
  readonly cpuCores: number;
  readonly rssPerCallKiB: number;
  readonly gateway: WebRtcCounters | undefined;
}

const PCMU = { name: 'PCMU', payloadType: 0 };
/** The relay engine's workers as the server sizes them on this machine (cores − 1, at least 1). */
const RELAY_WORKERS = 1;
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const iceChars = (n: number): string =>
  randomBytes(n)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, 'x')
    .slice(0, n);

async function runScenario(
  scenario: Scenario,
  calls: number,
  warmupS: number,
  durationS: number,
): Promise<Outcome> {
  const webrtc = scenario.kind !== 'plain';
  const load = await startLoad(
    calls,
    webrtc ? 'webrtc' : 'plain',
    scenario.kind === 'webrtc' ? scenario.profiles : 'any',
    scenario.kind === 'werift' ? 'server' : 'client',
  );
  let engine: MediaEngine | undefined;
  let gateway: WebRtcGateway | undefined;
  const relays: Relay[] = [];
  const legs: WebRtcLeg[] = [];
  const weriftLegs: WeriftLeg[] = [];
  try {
    engine = await createMediaEngine({ workers: RELAY_WORKERS, portRange: { min: 20000, max: 29999 } });
    if (scenario.kind === 'webrtc')
      gateway = await createWebRtcGateway({
        workers: scenario.workers,
        portRange: { min: 30000, max: 31999 },
      });
    gc();
    const rssBefore = process.memoryUsage().rss;
    const targets: CallTargets[] = [];
    for (let k = 0; k < calls; k++) {
      const relay = await engine.createRelay({
        inactivityTimeoutMs: 60_000,
        b: { remote: { address: '127.0.0.1', rtpPort: load.phonePorts[k]! }, codec: PCMU },
      });
      relays.push(relay);
      if (scenario.kind === 'werift') {
        // webrtc-load.c: the browser of call k sends with SSRC 0x20000000 + 2k.
        const browser = {
          ufrag: iceChars(8),
          pwd: iceChars(24),
          fingerprint: load.fingerprint,
          ssrc: 0x20000000 + 2 * k,
        };
        const leg = await weriftLeg(browser, relay.a.rtpPort);
        weriftLegs.push(leg);
        await relay.configure({
          a: {
            remote: { address: '127.0.0.1', rtpPort: leg.plainPort, rtcpPort: leg.plainPort },
            codec: PCMU,
          },
        });
        targets.push({
          browserTarget: leg.port,
          phoneTarget: relay.b.rtpPort,
          ice: { ufrag: leg.ufrag, pwd: leg.pwd, browserUfrag: browser.ufrag },
        });
        continue;
      }
      if (!gateway) {
        await relay.configure({
          a: { remote: { address: '127.0.0.1', rtpPort: load.browserPorts[k]! }, codec: PCMU },
        });
        targets.push({ browserTarget: relay.a.rtpPort, phoneTarget: relay.b.rtpPort });
        continue;
      }
      const leg = await gateway.createEndpoint({
        media: { address: '127.0.0.1', rtpPort: relay.a.rtpPort, rtcpPort: relay.a.rtcpPort },
        inactivityTimeoutMs: 60_000,
      });
      legs.push(leg);
      await relay.configure({
        a: {
          remote: { address: '127.0.0.1', rtpPort: leg.plain.port, rtcpPort: leg.plain.port },
          codec: PCMU,
        },
      });
      const browserUfrag = iceChars(8);
      // What the PBX would read from the browser's SDP: it answered a=setup:active.
      await leg.setRemote({
        iceUfrag: browserUfrag,
        icePwd: iceChars(24),
        fingerprints: [{ algorithm: 'sha-256', value: load.fingerprint }],
        dtlsRole: 'server',
      });
      targets.push({
        browserTarget: leg.local.port,
        phoneTarget: relay.b.rtpPort,
        ice: { ufrag: leg.local.iceUfrag, pwd: leg.local.icePwd, browserUfrag },
      });
    }
    const up = await load.connect(targets);
    const done = load.run(warmupS * 1000, durationS * 1000);
    await sleep(50 + warmupS * 1000);
    const cpuStart = cpuSeconds();
    const wallStart = performance.now();
    await sleep((durationS * 1000) / 2);
    const rssDuring = process.memoryUsage().rss;
    await sleep((durationS * 1000) / 2);
    const cpu = cpuSeconds() - cpuStart;
    const wall = (performance.now() - wallStart) / 1000;
    const result = await done;
    const counters = await gateway?.counters();
    return {
      scenario,
      load: result,
      connected: up.connected,
      profile: up.profile,
      setupSeconds: up.seconds,
      cpuCores: cpu / wall,
      rssPerCallKiB: (rssDuring - rssBefore) / 1024 / calls,
      gateway: counters,
    };
  } finally {
    load.stop();
    await Promise.all([
      ...legs.map((l) => l.close()),
      ...weriftLegs.map((l) => l.close()),
      ...relays.map((r) => r.close()),
    ]);
    await gateway?.close();
    await engine?.close();
  }
}

const loss = (d: { sent: number; received: number }): number =>
  d.sent === 0 ? 100 : (100 * (d.sent - d.received)) / d.sent;
const totalLoss = (o: Outcome): number =>
  loss({
    sent: o.load.browserToPhone.sent + o.load.phoneToBrowser.sent,
    received: o.load.browserToPhone.received + o.load.phoneToBrowser.received,
  });
const round = (n: number | undefined, digits = 2): number | string =>
  n === undefined || Number.isNaN(n) ? '–' : Number(n.toFixed(digits));

export async function run(options: WebRtcLegsBenchOptions = {}): Promise<BenchResult> {
  const calls = options.calls ?? 200;
  const durationS = options.durationS ?? 20;
  const warmupS = options.warmupS ?? 3;
  const workers = options.workers ?? [2, 1];
  const profiles = options.profiles ?? ['gcm', 'cm'];
  const scenarios: Scenario[] = [
    ...(options.plain === false ? [] : [{ kind: 'plain' as const, label: 'plain RTP legs (relay only)' }]),
    ...workers.map((w) => ({
      kind: 'webrtc' as const,
      label: `WebRTC legs, ${w === 0 ? 'main thread' : `${w} worker thread${w > 1 ? 's' : ''}`}, ${profiles[0] === 'cm' ? 'AES-CM/HMAC' : 'AES-GCM'}`,
      workers: w,
      profiles: profiles[0] ?? 'gcm',
    })),
    ...(options.werift === false
      ? []
      : [{ kind: 'werift' as const, label: 'werift RTCPeerConnection legs (peer), main thread' }]),
    ...profiles.slice(1).map((p) => ({
      kind: 'webrtc' as const,
      label: `WebRTC legs, ${workers[0] ?? 2} worker threads, ${p === 'cm' ? 'AES-CM/HMAC' : 'AES-GCM'}`,
      workers: workers[0] ?? 2,
      profiles: p,
    })),
  ];
  const loadBefore = loadavg()[0]!;
  const outcomes: Outcome[] = [];
  for (const scenario of scenarios) {
    process.stderr.write(`  webrtc-legs: ${scenario.label}, ${calls} calls …\n`);
    outcomes.push(await runScenario(scenario, calls, warmupS, durationS));
  }
  const table: BenchTable = {
    caption: `${calls} concurrent calls, each a browser (or a plain phone) ⇄ relay ⇄ plain RTP phone; 20 ms PCMU both ways; ${durationS} s measured after ${warmupS} s warm-up`,
    columns: [
      'configuration',
      'legs up',
      'SRTP profile',
      'setup s',
      'loss % browser→phone',
      'loss % phone→browser',
      'jitter mean ms',
      'jitter p99 ms',
      'transit p50 ms',
      'transit p99 ms',
      'transit max ms',
      'PBX CPU (cores)',
      'CPU µs / packet delivered',
      'RSS / call KiB',
      'SRTP errors',
      'generator CPU s',
    ],
    rows: outcomes.map((o) => {
      // Packets the PBX delivered (each one it also received): both directions, per second.
      const packets = (o.load.browserToPhone.received + o.load.phoneToBrowser.received) / durationS;
      return [
        o.scenario.label,
        o.connected,
        o.scenario.kind === 'plain' ? '–' : o.profile,
        o.scenario.kind === 'plain' ? '–' : round(o.setupSeconds, 1),
        round(loss(o.load.browserToPhone), 3),
        round(loss(o.load.phoneToBrowser), 3),
        round(o.load.jitterMeanMs, 3),
        round(o.load.jitterP99Ms, 3),
        round(o.load.transitP50Ms, 3),
        round(o.load.transitP99Ms, 3),
        round(o.load.transitMaxMs, 1),
        round(o.cpuCores, 2),
        round((o.cpuCores * 1e6) / packets, 1),
        round(o.rssPerCallKiB, 1),
        o.scenario.kind === 'plain' ? '–' : (o.gateway?.srtpErrors ?? 0) + o.load.authFailures,
        round(o.load.cpuSeconds, 1),
      ];
    }),
  };
  const plain = outcomes.find((o) => o.scenario.kind === 'plain');
  const ours = outcomes.filter((o) => o.scenario.kind === 'webrtc');
  const best = ours.reduce<Outcome | undefined>(
    (b, o) => (!b || totalLoss(o) < totalLoss(b) ? o : b),
    undefined,
  );
  const goals: BenchGoal[] = best
    ? [
        {
          description: '≥ 200 concurrent browser legs on this machine with < 1 % packet loss',
          met: calls >= 200 && best.connected === calls && totalLoss(best) < 1,
          detail: `${best.connected}/${calls} browser legs up, ${best.scenario.label}: ${round(loss(best.load.browserToPhone), 3)} % browser→phone, ${round(loss(best.load.phoneToBrowser), 3)} % phone→browser${plain ? `; plain RTP legs in the same run: ${round(totalLoss(plain), 3)} %` : ''}`,
        },
      ]
    : [];
  const notes = [
    `1-minute load average ${loadBefore.toFixed(2)} before the run and ${loadavg()[0]!.toFixed(2)} after; the generator and the PBX share the machine's cores.`,
    'Browsers: bench/webrtc-legs/webrtc-load.c — per leg one STUN check with USE-CANDIDATE, an OpenSSL DTLS 1.2 client handshake offering the named SRTP profiles, then SRTP; the PBX verifies its certificate fingerprint as from SDP. The phones are plain RTP in the same process.',
    `PBX: the media relay on ${RELAY_WORKERS} worker thread (as the server runs it on 2 cores) and the WebRTC gateway on the stated worker threads; CPU is user+system time of the whole PBX process over the measured window. CPU µs / packet divides it by the packets the PBX delivered in that window (both directions; each was also received).`,
    'Setup: the time for all checks and handshakes, one leg after another (the PBX side does DTLS in JavaScript, werift).',
    'Loss: packets sent in the measured window and not received 500 ms after its end; jitter (RFC 3550 A.8) and transit from kernel receive timestamps against real send times.',
  ];
  return {
    name: 'webrtc-legs',
    title: 'WebRTC legs: concurrent browser calls through the PBX',
    tables: [table],
    goals,
    notes,
  };
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const workers = argValue('--workers');
  const profiles = argValue('--profiles');
  const result = await run({
    calls: Number(argValue('--calls') ?? 200),
    durationS: Number(argValue('--duration') ?? 20),
    warmupS: Number(argValue('--warmup') ?? 3),
    ...(workers && { workers: workers.split(',').map(Number) }),
    ...(profiles && { profiles: profiles.split(',') as ('gcm' | 'cm')[] }),
    plain: !process.argv.includes('--no-plain'),
    werift: !process.argv.includes('--no-werift'),
  });
  const { renderText } = await import('./lib/table.ts');
  for (const t of result.tables) console.log(`${renderText(t)}\n`);
  for (const g of result.goals ?? [])
    console.log(`Goal ${g.met ? 'met' : 'NOT met'}: ${g.description} — ${g.detail}`);
  for (const n of result.notes ?? []) console.log(`- ${n}`);
}
