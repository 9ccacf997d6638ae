// `npx switchboard <command>`: the operator's command line. Each command lives in its own file.
import { ConfigError, loadConfig } from '../config.ts';
import { startServer } from '../server.ts';

const USAGE = `usage: switchboard <command> [options]

commands:
  start            run the platform (HTTP, SIP, RTP) in this process
  help             show this text
`;

export async function runCli(argv: readonly string[]): Promise<number> {
  const [command = 'help', ...rest] = argv;
  try {
    switch (command) {
      case 'start': {
        const config = loadConfig(parseFlags(rest));
        const server = await startServer(config);
        const stop = (signal: string): void => {
          process.stderr.write(`switchboard: ${signal} received, shutting down\n`);
          void server.close().then(() => process.exit(0));
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
        return await new Promise<number>(() => undefined);
      }
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return 0;
      default:
        process.stderr.write(`switchboard: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
        return 2;
    }
  } catch (err) {
    if (err instanceof ConfigError || err instanceof UsageError) {
      process.stderr.write(`switchboard: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

export class UsageError extends Error {}

/** `--http-port 8081` → `{ HTTP_PORT: '8081' }`: every flag mirrors an env var. */
export function parseFlags(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const m = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/.exec(arg);
    if (!m) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    const name = m[1]!.replace(/-/g, '_').toUpperCase();
    const value = m[2] ?? args[++i];
    if (value === undefined) throw new UsageError(`--${m[1]} needs a value`);
    out[name] = value;
  }
  return out;
}
