// The two load generators behind one interface: the C one (rtp-load.c, compiled on first use
// with the system C compiler) and, where no compiler is found, the Node one
// (load-generator.ts). Both run as separate processes.
import { execFileSync, fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { LoadReply, LoadRequest, LoadResult } from './load-generator.ts';

export type { LoadResult };

export interface Generator {
  readonly kind: 'C (sendmmsg/recvmmsg)' | 'Node';
  /** Source port of phone i: where its relay leg should send (and latch to). */
  readonly phonePorts: readonly number[];
  /** Starts the load: phone i sends to targets[i] and hears phone i^1. */
  run(targets: readonly number[], warmupMs: number, durationMs: number): Promise<LoadResult>;
  /** Ends the generator process if it still runs (after a failure). */
  stop(): void;
}

const here = (name: string): string => fileURLToPath(new URL(`./${name}`, import.meta.url));

/** Compiles rtp-load.c into the temp dir; undefined when no C compiler works. */
function compiledLoader(): string | undefined {
  const source = here('rtp-load.c');
  const dir = join(tmpdir(), 'switchboard-bench');
  const binary = join(dir, 'rtp-load');
  if (existsSync(binary) && statSync(binary).mtimeMs > statSync(source).mtimeMs) return binary;
  try {
    mkdirSync(dir, { recursive: true });
    execFileSync('cc', ['-O2', '-o', binary, source], { stdio: 'pipe' });
    return binary;
  } catch {
    return undefined;
  }
}

async function cGenerator(binary: string, phones: number, sockets = 16): Promise<Generator> {
  const child = spawn(binary, [String(phones), String(sockets)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const iterator = lines[Symbol.asyncIterator]();
  const first = await iterator.next();
  const ports = String(first.value).split(' ').slice(1).map(Number);
  if (ports.length !== sockets) throw new Error(`rtp-load: unexpected first line ${String(first.value)}`);
  return {
    kind: 'C (sendmmsg/recvmmsg)',
    phonePorts: Array.from({ length: phones }, (_, i) => ports[i % sockets]!),
    async run(targets, warmupMs, durationMs) {
      child.stdin.write(`start ${warmupMs} ${durationMs} ${targets.join(' ')}\n`);
      const line = await iterator.next();
      const f = String(line.value).split(' ').slice(1).map(Number);
      if (child.exitCode === null) await once(child, 'exit');
      return {
        streams: phones,
        sent: f[0]!,
        received: f[1]!,
        jitterMeanMs: f[2]!,
        jitterP99Ms: f[3]!,
        transitP50Ms: f[4]!,
        transitP99Ms: f[5]!,
        transitMaxMs: f[6]!,
        lateSends: f[7]!,
        cpuSeconds: f[8]!,
      };
    },
    stop: () => {
      if (child.exitCode === null) child.kill();
    },
  };
}

async function nodeGenerator(phones: number): Promise<Generator> {
  const child = fork(here('load-generator.ts'), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const request = async (r: LoadRequest): Promise<LoadReply> => {
    const reply = once(child, 'message') as Promise<[LoadReply]>;
    child.send(r);
    return (await reply)[0];
  };
  const opened = await request({ type: 'open', phones });
  if (opened.type !== 'opened') throw new Error('load generator did not open its sockets');
  return {
    kind: 'Node',
    phonePorts: opened.ports,
    async run(targets, warmupMs, durationMs) {
      const peers = targets.map((_, i) => i ^ 1);
      const reply = await request({ type: 'start', targets, peers, warmupMs, durationMs });
      if (reply.type !== 'result') throw new Error('load generator sent no result');
      if (child.exitCode === null) await once(child, 'exit');
      return reply.result;
    },
    stop: () => {
      if (child.exitCode === null) child.kill();
    },
  };
}

export async function startGenerator(phones: number, prefer: 'c' | 'node' = 'c'): Promise<Generator> {
  const binary = prefer === 'c' ? compiledLoader() : undefined;
  return binary ? cGenerator(binary, phones) : nodeGenerator(phones);
}
