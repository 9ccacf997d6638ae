// Drives a real linphonec (Debian package `linphone-cli`, liblinphone 5.1) as a SIP phone in
// tests, over its stdin/stdout console. Audio is file based (`soundcard use files`): the phone
// sends a WAV file (`play`) and records what it hears into another (`record`).
//
// Gotcha (liblinphone 5.1.65 here): at start-up linphonec opens no SIP socket at all (strace
// shows no AF_INET/AF_INET6 socket, `ports` prints "sip port = 0"), whatever [sip] sip_port
// says, so the first REGISTER fails with "No listening point matching for [udp://…]". The
// console command `ports sip PORT` applies the transports at run time, but only when PORT differs
// from the configured value (the same value is a no-op), so the file says -1 (random) and the
// command names the real port; the account in the file then registers at once. `sip_port=0`
// would mean "UDP disabled".
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';

export interface LinphoneAccount {
  /** SIP user part (the extension number); also the digest username. */
  readonly user: string;
  readonly password: string;
  /** Registrar host:port, e.g. `127.0.0.1:5060`. */
  readonly registrar: string;
  /** Domain of the AOR; defaults to the registrar's host. */
  readonly domain?: string;
}

export interface LinphoneOptions {
  readonly account: LinphoneAccount;
  /** WAV file this phone sends as its microphone (16-bit PCM). */
  readonly playWav: string;
}

export class Linphone {
  /** Everything linphonec printed (its console and its log), for matching and diagnostics. */
  output = '';
  private waiters: { pattern: RegExp; from: number; resolve: (m: RegExpExecArray) => void }[] = [];

  private constructor(
    readonly dir: string,
    readonly sipPort: number,
    /** The WAV file linphonec writes what it hears into. */
    readonly recordWav: string,
    private readonly proc: ChildProcess,
  ) {
    const onData = (d: Buffer): void => {
      this.output += d.toString();
      for (const waiter of [...this.waiters]) {
        const m = execFrom(waiter.pattern, this.output, waiter.from);
        if (m) {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          waiter.resolve(m);
        }
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
  }

  static async start(options: LinphoneOptions): Promise<Linphone> {
    const dir = await mkdtemp(join(tmpdir(), 'linphonec-'));
    const sipPort = await freePort();
    const rtpPort = await freePort();
    const a = options.account;
    const domain = a.domain ?? a.registrar.replace(/:\d+$/, '');
    const rc = join(dir, 'linphonerc');
    await writeFile(
      rc,
      [
        '[sip]',
        // Not the port we want: `ports sip` below must see a change to apply it.
        'sip_port=-1',
        'sip_tcp_port=0',
        'sip_tls_port=0',
        'ipv6=0',
        'guess_hostname=1',
        'default_proxy=0',
        'register_only_when_network_is_up=0',
        'register_only_when_upnp_is_ok=0',
        '[rtp]',
        `audio_rtp_port=${rtpPort}`,
        '[sound]',
        'echocancellation=0',
        '[video]',
        'enabled=0',
        'capture=0',
        'display=0',
        '[proxy_0]',
        `reg_proxy=<sip:${a.registrar};transport=udp>`,
        `reg_identity=sip:${a.user}@${domain}`,
        'reg_expires=600',
        'reg_sendregister=1',
        'publish=0',
        'dial_escape_plus=0',
        '[auth_info_0]',
        `username=${a.user}`,
        `passwd=${a.password}`,
        '',
      ].join('\n'),
    );
    const proc = spawn('linphonec', ['-c', rc], {
      // HOME: liblinphone keeps its database and caches there, so not in the user's home.
      env: { HOME: dir, PATH: '/usr/local/bin:/usr/bin:/bin' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const spawnError = new Promise<never>((_, reject) =>
      proc.once('error', (err) =>
        reject(new Error(`linphonec did not start (is Debian's linphone-cli installed?): ${err.message}`)),
      ),
    );
    const phone = new Linphone(dir, sipPort, join(dir, 'heard.wav'), proc);
    await Promise.race([phone.waitForOutput(/linphonec> /, 15_000), spawnError]);
    phone.send('soundcard use files');
    phone.send(`play ${options.playWav}`);
    phone.send(`record ${phone.recordWav}`);
    phone.send(`ports sip ${sipPort}`);
    await phone.waitForOutput(/Setting sip port to \d+/, 5_000);
    return phone;
  }

  /** Writes one console command. */
  send(command: string): void {
    this.proc.stdin?.write(`${command}\n`);
  }

  /**
   * Resolves with the first match of `pattern` in the output after offset `from` (default: the
   * whole output so far), or rejects after `timeoutMs` with the output's tail.
   */
  waitForOutput(pattern: RegExp, timeoutMs = 10_000, from = 0): Promise<RegExpExecArray> {
    const seen = execFrom(pattern, this.output, from);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(
          new Error(`linphonec: no ${String(pattern)} within ${timeoutMs} ms\n${this.output.slice(-3000)}`),
        );
      }, timeoutMs);
      const done = (m: RegExpExecArray): void => {
        clearTimeout(timer);
        resolve(m);
      };
      this.waiters.push({ pattern, from, resolve: done });
    });
  }

  /** Polls `status register` until the account is registered. */
  async waitForRegistration(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const from = this.output.length;
      this.send('status register');
      const m = await this.waitForOutput(/\bregistered(?:, identity=\S+|=-?\d+)/, 3_000, from);
      if (m[0].startsWith('registered, ')) return;
      if (Date.now() > deadline)
        throw new Error(`linphonec: not registered within ${timeoutMs} ms\n${this.output.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  call(uri: string): void {
    this.send(`call ${uri}`);
  }
  answer(): void {
    this.send('answer');
  }
  terminate(): void {
    this.send('terminate');
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    this.send('quit');
    const term = setTimeout(() => this.proc.kill('SIGTERM'), 3_000);
    const kill = setTimeout(() => this.proc.kill('SIGKILL'), 6_000);
    await exited;
    clearTimeout(term);
    clearTimeout(kill);
  }

  async cleanup(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}

function execFrom(pattern: RegExp, text: string, from: number): RegExpExecArray | null {
  const re = new RegExp(pattern.source, pattern.flags.replace('g', ''));
  return re.exec(text.slice(from));
}
