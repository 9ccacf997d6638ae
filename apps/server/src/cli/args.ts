// Command-line parsing for the data commands, on node:util's parseArgs (strict: an unknown
// flag is a usage error). Every command also takes the configuration flags, which mirror the
// environment variables (--data-dir ≡ DATA_DIR) as `start` does.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, type Config } from '../config.ts';
import { UsageError } from './errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

const CONFIG_FLAGS: Options = {
  'data-dir': { type: 'string' },
  'database-url': { type: 'string' },
  'secret-key': { type: 'string' },
};

export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
  readonly config: Config;
}

export function parseCommandArgs(
  args: readonly string[],
  options: Options,
  maxPositionals: number,
): ParsedArgs {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { ...CONFIG_FLAGS, ...options },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const positionals = parsed.positionals;
  if (positionals.length > maxPositionals) {
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[maxPositionals])}`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const overrides: Record<string, string> = {};
  for (const flag of Object.keys(CONFIG_FLAGS)) {
    const value = values[flag];
    if (typeof value === 'string') overrides[flag.replace(/-/g, '_').toUpperCase()] = value;
  }
  return { values, positionals, config: loadConfig(overrides) };
}

/** A string flag's value, or a usage error naming it when it is required and missing. */
export function stringFlag(args: ParsedArgs, name: string, required: true): string;
export function stringFlag(args: ParsedArgs, name: string, required?: false): string | undefined;
export function stringFlag(args: ParsedArgs, name: string, required = false): string | undefined {
  const value = args.values[name];
  if (typeof value === 'string') return value;
  if (required) throw new UsageError(`--${name} is required`);
  return undefined;
}
