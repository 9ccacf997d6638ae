// Drives webrtc-load.c (compiled on first use with the system C compiler and OpenSSL): the
// browsers (STUN check, OpenSSL DTLS client, SRTP) and the SIP phones of a WebRTC benchmark,
// as a separate process so the PBX under test pays nothing for the load.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export type GeneratorMode = 'webrtc' | 'plain';
/** SRTP profiles the browsers offer in DTLS use_srtp (the PBX prefers GCM). */
export type OfferedProfiles = 'gcm' | 'cm' | 'any';

export interface CallTargets {
  /** Where the browser sends: the WebRTC leg's ICE port (webrtc) or relay leg a (plain). */
  readonly browserTarget: number;
  /** Where the phone sends: relay leg b. */
  readonly phoneTarget: number;
  /** webrtc: the WebRTC leg's ICE credentials and the browser's own ufrag. */
  readonly ice?: { readonly ufrag: string; readonly pwd: string; readonly browserUfrag: string };
}

export interface LoadResult {
  readonly browserToPhone: { readonly sent: number; readonly received: number };
  readonly phoneToBrowser: { readonly sent: number; readonly received: number };
  readonly jitterMeanMs: number;
  readonly jitterP99Ms: number;
  readonly transitP50Ms: number;
  readonly transitP99Ms: number;
  readonly transitMaxMs: number;
  readonly lateSlots: number;
  readonly authFailures: number;
  readonly cpuSeconds: number;
}

export interface WebRtcLoad {
  /** sha-256 fingerprint of the browsers' DTLS certificate (webrtc mode). */
  readonly fingerprint: string;
  /** Source ports: browser i and phone i of call i. */
  readonly browserPorts: readonly number[];
  readonly phonePorts: readonly number[];
  /** Sends the targets, then runs the checks and handshakes; resolves when all are up. */
  connect(
    targets: readonly CallTargets[],
  ): Promise<{ readonly connected: number; readonly profile: string; readonly seconds: number }>;
  run(warmupMs: number, durationMs: number): Promise<LoadResult>;
  stop(): void;
}

const here = (name: string): string => fileURLToPath(new URL(`./${name}`, import.meta.url));

/** Compiles webrtc-load.c into the temp dir (needs cc and libssl-dev). */
export function compileLoader(): string {
  const source = here('webrtc-load.c');
  const dir = join(tmpdir(), 'switchboard-bench');
  const binary = join(dir, 'webrtc-load');
  if (existsSync(binary) && statSync(binary).mtimeMs > statSync(source).mtimeMs) return binary;
  mkdirSync(dir, { recursive: true });
  execFileSync('cc', ['-O2', '-Wno-deprecated-declarations', '-o', binary, source, '-lssl', '-lcrypto'], {
    stdio: 'pipe',
  });
  return binary;
}

/** `dtlsRole`: the browsers' DTLS role (client: they answer or offer a=setup:active). */
export async function startLoad(
  calls: number,
  mode: GeneratorMode,
  profiles: OfferedProfiles,
  dtlsRole: 'client' | 'server' = 'client',
): Promise<WebRtcLoad> {
  const child: ChildProcess = spawn(compileLoader(), [String(calls), mode, profiles, dtlsRole], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (prefix: string): Promise<string[]> => {
    const line = await lines.next();
    const text = String(line.value ?? '');
    if (line.done || !text.startsWith(`${prefix} `))
      throw new Error(`webrtc-load: expected "${prefix} …", got ${JSON.stringify(text)}`);
    return text.slice(prefix.length + 1).split(' ');
  };
  const fingerprint = (await next('fingerprint'))[1] ?? '';
  const ports = (await next('ports')).map(Number);
  const write = (text: string): void => void child.stdin!.write(text);
  return {
    fingerprint,
    browserPorts: ports.filter((_, i) => i % 2 === 0),
    phonePorts: ports.filter((_, i) => i % 2 === 1),
    async connect(targets) {
      write(
        targets
          .map(
            (t, k) =>
              `call ${k} ${t.browserTarget} ${t.phoneTarget}${t.ice ? ` ${t.ice.ufrag} ${t.ice.pwd} ${t.ice.browserUfrag}` : ''}\n`,
          )
          .join('') + 'connect\n',
      );
      const [connected, profile, seconds] = await next('connected');
      return { connected: Number(connected), profile: profile ?? '', seconds: Number(seconds) };
    },
    async run(warmupMs, durationMs) {
      write(`start ${warmupMs} ${durationMs}\n`);
      const f = (await next('result')).map(Number);
      if (child.exitCode === null) await once(child, 'exit');
      return {
        browserToPhone: { sent: f[0]!, received: f[1]! },
        phoneToBrowser: { sent: f[2]!, received: f[3]! },
        jitterMeanMs: f[4]!,
        jitterP99Ms: f[5]!,
        transitP50Ms: f[6]!,
        transitP99Ms: f[7]!,
        transitMaxMs: f[8]!,
        lateSlots: f[9]!,
        authFailures: f[10]!,
        cpuSeconds: f[11]!,
      };
    },
    stop: () => {
      if (child.exitCode === null) child.kill();
    },
  };
}
