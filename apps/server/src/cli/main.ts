// `npx switchboard <command>`: the operator's command line. Each command lives in its own file.
// Commands load their modules when run: the data commands start fast and do not load the
// server's SIP/HTTP stack, and `start` does not load what only the data commands need.
import { ConfigError, loadConfig } from '../config.ts';
import { describeFailure, UsageError } from './errors.ts';
import { processIo } from './io.ts';

export { UsageError };

const USAGE = `usage: switchboard <command> [options]

commands:
  start            run the platform (HTTP, SIP, RTP) in this process
  migrate          bring the database to the newest schema
  tenant           add, list, remove tenants (organisations with a SIP domain)
  extension        add, list, remove, import PBX extensions
  cdr              list call detail records
  trunk            add, list, remove SIP trunks, their outbound routes, the external-call policy
  did              add, list, remove DIDs (numbers whose inbound calls ring an extension)
  admin            create a confirmed portal administrator (owner of an organisation)
  token            create an API token for a portal user
  outbox           list and show the mail kept when SMTP_URL is not set
  help             show this text

Run \`switchboard <command> help\` for a command's options. Data commands take --data-dir,
--database-url and --secret-key (or DATA_DIR, DATABASE_URL, SECRET_KEY). See docs/cli.md.
`;

export async function runCli(argv: readonly string[]): Promise<number> {
  const [command = 'help', ...rest] = argv;
  try {
    switch (command) {
      case 'start': {
        const config = loadConfig(parseFlags(rest));
        const { startServer } = await import('../server.ts');
        const server = await startServer(config);
        const stop = (signal: string): void => {
          process.stderr.write(`switchboard: ${signal} received, shutting down\n`);
          void server.close().then(() => process.exit(0));
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
        // A telephone server stays up: a promise nobody awaited that fails is a bug to log, not a
        // reason to drop every call in progress.
        process.on('unhandledRejection', (reason) => {
          process.stderr.write(`switchboard: unhandled rejection (bug, please report): ${String(reason)}\n`);
        });
        return await new Promise<number>(() => undefined);
      }
      case 'migrate':
        return await (await import('./migrate.ts')).runMigrate(rest, processIo);
      case 'tenant':
        return await (await import('./tenant.ts')).runTenant(rest, processIo);
      case 'extension':
        return await (await import('./extension.ts')).runExtension(rest, processIo);
      case 'cdr':
        return await (await import('./cdr.ts')).runCdr(rest, processIo);
      case 'trunk':
        return await (await import('./trunk.ts')).runTrunk(rest, processIo);
      case 'did':
        return await (await import('./did.ts')).runDid(rest, processIo);
      case 'admin':
        return await (await import('./admin.ts')).runAdmin(rest, processIo);
      case 'token':
        return await (await import('./token.ts')).runToken(rest, processIo);
      case 'outbox':
        return await (await import('./outbox.ts')).runOutbox(rest, processIo);
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
    const failure = describeFailure(err);
    if (failure) {
      process.stderr.write(`switchboard: ${failure.message}\n`);
      return failure.exitCode;
    }
    throw err;
  }
}

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
