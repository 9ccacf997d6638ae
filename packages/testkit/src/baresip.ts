// Drives a real baresip (Debian package `baresip`) as a SIP phone in tests: headless audio
// (ausine sends a sine tone, sndfile records what is heard), controlled over ctrl_tcp
// (netstring-framed JSON commands and events).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';

export interface BaresipAccount {
  /** SIP user part (the extension number). */
  readonly user: string;
  readonly password?: string;
  /** Registrar host:port, e.g. `127.0.0.1:5060`. */
  readonly registrar: string;
  /** Domain written into the AOR; defaults to the registrar. */
  readonly domain?: string;
  readonly transport?: 'udp' | 'tcp';
  /** Registration interval in seconds; 0 = do not register. */
  readonly regint?: number;
}

export interface BaresipOptions {
  readonly account: BaresipAccount;
  /** Frequency of the sine tone this phone sends, in Hz. */
  readonly toneHz: number;
  readonly answerMode?: 'manual' | 'auto';
  readonly codecs?: readonly ('g711' | 'g722')[];
}

export interface BaresipEvent {
  readonly type: string;
  readonly class?: string;
  readonly param?: string;
  readonly peeruri?: string;
  readonly [key: string]: unknown;
}

export class Baresip {
  readonly events: BaresipEvent[] = [];
  private waiters: { match: (e: BaresipEvent) => boolean; resolve: (e: BaresipEvent) => void }[] = [];
  private pending = new Map<string, (r: { ok: boolean; data: string }) => void>();
  private token = 0;
  private buffer = '';
  log = '';

  private constructor(
    readonly dir: string,
    readonly sipPort: number,
    private readonly proc: ChildProcess,
    private readonly ctrl: Socket,
    earlyOutput: string,
  ) {
    this.log = earlyOutput;
    ctrl.setEncoding('utf8');
    ctrl.on('data', (chunk: string) => this.onData(chunk));
    proc.stdout?.on('data', (d: Buffer) => (this.log += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (this.log += d.toString()));
  }

  /**
   * Starts baresip; tries again (new ports, new directory) when it exits early or its control
   * port does not open — a port handed out by freePort can be taken by someone else before
   * baresip binds it, and a loaded machine can be slow: neither is what a test is checking.
   */
  static async start(options: BaresipOptions): Promise<Baresip> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        return await Baresip.startOnce(options);
      } catch (err) {
        if (err instanceof BaresipMissing) throw err;
        lastError = err;
      }
    }
    throw lastError;
  }

  private static async startOnce(options: BaresipOptions): Promise<Baresip> {
    const dir = await mkdtemp(join(tmpdir(), 'baresip-'));
    const sipPort = await freePort();
    const ctrlPort = await freePort();
    const a = options.account;
    const transport = a.transport ?? 'udp';
    const domain = a.domain ?? a.registrar;
    const params = [
      a.password !== undefined ? `auth_pass=${a.password}` : '',
      `regint=${a.regint ?? 600}`,
      `answermode=${options.answerMode ?? 'manual'}`,
      `outbound="sip:${a.registrar};transport=${transport}"`,
    ].filter(Boolean);
    await writeFile(
      join(dir, 'accounts'),
      `<sip:${a.user}@${domain};transport=${transport}>;${params.join(';')}\n`,
    );
    const codecModules = (options.codecs ?? ['g711']).map((c) => `module ${c}.so`).join('\n');
    await writeFile(
      join(dir, 'config'),
      [
        'poll_method epoll',
        `sip_listen 127.0.0.1:${sipPort}`,
        'net_interface 127.0.0.1',
        `audio_source ausine,${options.toneHz}`,
        'audio_player aubridge,none',
        'audio_alert aubridge,none',
        'ausrc_srate 48000',
        'auplay_srate 48000',
        'ausrc_channels 2',
        'module_path /usr/lib/baresip/modules',
        codecModules,
        'module ausine.so',
        'module aubridge.so',
        'module sndfile.so',
        'module_app account.so',
        'module_app ctrl_tcp.so',
        'module_app menu.so',
        `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
        `snd_path ${dir}`,
        '',
      ].join('\n'),
    );
    const proc = spawn('baresip', ['-f', dir], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const spawnError = new Promise<never>((_, reject) => {
      proc.once('error', (err) =>
        reject(new BaresipMissing(`baresip did not start (is Debian's baresip installed?): ${err.message}`)),
      );
      proc.once('exit', (code, signal) =>
        reject(new Error(`baresip exited (${code ?? signal}) before its control port opened:\n${output}`)),
      );
    });
    spawnError.catch(() => undefined);
    try {
      const ctrl = await Promise.race([connectWithRetry(ctrlPort, 20_000), spawnError]);
      proc.stdout?.removeAllListeners('data');
      proc.stderr?.removeAllListeners('data');
      return new Baresip(dir, sipPort, proc, ctrl, output);
    } catch (err) {
      proc.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      throw err;
    }
  }

  /** Sends a ctrl_tcp command (the long names of baresip's menu: dial, accept, hangup, …). */
  command(command: string, params = ''): Promise<{ ok: boolean; data: string }> {
    const token = String(++this.token);
    const json = JSON.stringify({ command, params, token });
    this.ctrl.write(`${Buffer.byteLength(json)}:${json},`);
    return new Promise((resolve) => this.pending.set(token, resolve));
  }

  dial(uri: string): Promise<{ ok: boolean; data: string }> {
    return this.command('dial', uri);
  }
  answer(): Promise<{ ok: boolean; data: string }> {
    return this.command('accept');
  }
  hangup(): Promise<{ ok: boolean; data: string }> {
    return this.command('hangup');
  }

  /** Resolves with the first event (past or future) of `type` that satisfies `match`. */
  waitFor(
    type: string,
    timeoutMs = 10_000,
    match: (e: BaresipEvent) => boolean = () => true,
  ): Promise<BaresipEvent> {
    const test = (e: BaresipEvent): boolean => e.type === type && match(e);
    const seen = this.events.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(
          new Error(
            `baresip: no ${type} within ${timeoutMs} ms; events: ${this.events.map((e) => e.type).join(', ')}\n${this.log.slice(-3000)}`,
          ),
        );
      }, timeoutMs);
      const done = (e: BaresipEvent): void => {
        clearTimeout(timer);
        resolve(e);
      };
      this.waiters.push({ match: test, resolve: done });
    });
  }

  /**
   * Resolves when the account registered (200 OK to REGISTER). Read from baresip's console:
   * the REGISTER_OK event is often sent before the control connection is up.
   */
  async waitForRegistration(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!/\{\d+\/(UDP|TCP|TLS)\/v[46]\} 200 OK/.test(this.log)) {
      const failure = /reg: .*(Register: .*|[45]\d\d .*)/.exec(this.log);
      if (failure) throw new Error(`baresip: registration failed: ${failure[1]}`);
      if (Date.now() > deadline)
        throw new Error(`baresip: not registered within ${timeoutMs} ms\n${this.log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The WAV files sndfile wrote: `dec` is what this phone heard, `enc` what it sent. */
  async recordings(): Promise<{ heard: string[]; sent: string[] }> {
    const files = (await readdir(this.dir)).filter((f) => f.endsWith('.wav')).sort();
    return {
      heard: files.filter((f) => f.endsWith('-dec.wav')).map((f) => join(this.dir, f)),
      sent: files.filter((f) => f.endsWith('-enc.wav')).map((f) => join(this.dir, f)),
    };
  }

  async stop(): Promise<void> {
    this.ctrl.destroy();
    if (this.proc.exitCode === null) {
      const exited = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
      this.proc.stdin?.write('q');
      this.proc.kill('SIGTERM');
      const timer = setTimeout(() => this.proc.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
  }

  async cleanup(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    for (;;) {
      const colon = this.buffer.indexOf(':');
      if (colon < 0) return;
      const length = Number(this.buffer.slice(0, colon));
      // netstring lengths count bytes; baresip's JSON is ASCII.
      if (this.buffer.length < colon + 1 + length + 1) return;
      const json = this.buffer.slice(colon + 1, colon + 1 + length);
      this.buffer = this.buffer.slice(colon + 1 + length + 1);
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(json) as Record<string, unknown>;
      } catch {
        continue;
      }
      if (message.response === true) {
        const resolve = this.pending.get(String(message.token));
        this.pending.delete(String(message.token));
        resolve?.({ ok: message.ok === true, data: String(message.data ?? '') });
      } else if (message.event === true) {
        const event = message as unknown as BaresipEvent;
        this.events.push(event);
        for (const waiter of [...this.waiters]) {
          if (waiter.match(event)) {
            this.waiters = this.waiters.filter((w) => w !== waiter);
            waiter.resolve(event);
          }
        }
      }
    }
  }
}

async function connectWithRetry(port: number, timeoutMs: number): Promise<Socket> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => resolve(socket));
        socket.once('error', reject);
      });
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`baresip control port ${port} did not open: ${String(err)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

class BaresipMissing extends Error {}
