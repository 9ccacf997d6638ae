// `switchboard extension import FILE.csv`: all rows in one transaction, or none. Every problem
// is reported with the file's line number (the line a record starts on).
import { readFile } from 'node:fs/promises';
import {
  ConflictError,
  ValidationError,
  checkExtensions,
  createRepositories,
  type FieldProblem,
  type NewExtension,
} from '@switchboard/db';
import type { Config } from '../config.ts';
import { CsvError, parseCsv, type CsvRecord } from './csv.ts';
import { withData } from '../data.ts';
import { CliError } from './errors.ts';
import type { Io } from './io.ts';
import { resolveTenant } from './tenant-lookup.ts';

const COLUMNS = ['number', 'password', 'name'] as const;
/** How many problems are printed before "… and N more". */
const SHOWN = 20;

interface Rows {
  readonly rows: NewExtension[];
  /** The file line of each row. */
  readonly lines: number[];
  /** Problems as `LINE: text`, with their line for sorting. */
  readonly problems: { line: number; text: string }[];
}

function fail(file: string, problems: readonly string[]): never {
  const shown = problems.slice(0, SHOWN).map((p) => `  ${file}:${p}`);
  if (problems.length > SHOWN) shown.push(`  … and ${problems.length - SHOWN} more`);
  throw new CliError(`${problems.length} problem(s) in ${file}; nothing was imported:\n${shown.join('\n')}`);
}

/** Maps the header to column positions; `name` may be missing. */
function readHeader(file: string, header: CsvRecord | undefined): Map<(typeof COLUMNS)[number], number> {
  if (!header) fail(file, ['1: the file is empty; expected the header number,password,name']);
  const positions = new Map<(typeof COLUMNS)[number], number>();
  const problems: string[] = [];
  header.fields.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (!(COLUMNS as readonly string[]).includes(name))
      problems.push(`${header.line}: unknown column ${JSON.stringify(raw)}`);
    else if (positions.has(name as (typeof COLUMNS)[number]))
      problems.push(`${header.line}: column ${name} appears twice`);
    else positions.set(name as (typeof COLUMNS)[number], i);
  });
  for (const required of ['number', 'password'] as const) {
    if (!positions.has(required))
      problems.push(`${header.line}: the header has no ${required} column (expected number,password,name)`);
  }
  if (problems.length > 0) fail(file, problems);
  return positions;
}

function toRows(file: string, records: readonly CsvRecord[]): Rows {
  const [header, ...body] = records;
  const positions = readHeader(file, header);
  const width = header!.fields.length;
  const problems: { line: number; text: string }[] = [];
  const rows: NewExtension[] = [];
  const lines: number[] = [];
  for (const record of body) {
    if (record.fields.length !== width) {
      problems.push({ line: record.line, text: `expected ${width} fields, found ${record.fields.length}` });
      continue;
    }
    const at = (column: (typeof COLUMNS)[number]): string | undefined => {
      const i = positions.get(column);
      return i === undefined ? undefined : record.fields[i];
    };
    const name = at('name');
    rows.push({
      username: at('number')!.trim(),
      password: at('password')!,
      ...(name ? { displayName: name } : {}),
    });
    lines.push(record.line);
  }
  if (rows.length === 0 && problems.length === 0)
    fail(file, [`${header!.line}: the file has a header but no rows`]);
  // Check the rows that parsed too, so one run reports every problem of the file.
  for (const p of checkExtensions(rows)) {
    const line = lines[p.index ?? 0] ?? 0;
    problems.push({ line, text: `${p.field} ${p.message}` });
  }
  if (problems.length > 0) {
    fail(
      file,
      problems.sort((a, b) => a.line - b.line).map((p) => `${p.line}: ${p.text}`),
    );
  }
  return { rows, lines, problems };
}

export async function importExtensions(
  config: Config,
  file: string,
  domain: string | undefined,
  io: Io,
): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
  }
  let records: CsvRecord[];
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvError) fail(file, [`${err.line}: ${err.problem}`]);
    throw err;
  }
  const { rows, lines } = toRows(file, records);
  return withData(config, async ({ db, repos, secrets }) => {
    const tenant = await resolveTenant(repos, domain);
    const started = Date.now();
    try {
      // One transaction: a row that fails (even at the database) leaves nothing behind.
      await db.sql.transaction((tx) =>
        createRepositories(tx, secrets).sipAccounts.createExtensions(tenant.id, rows),
      );
    } catch (err) {
      if (err instanceof ValidationError || err instanceof ConflictError) {
        const describe = (d: FieldProblem) =>
          `${d.index === undefined ? '?' : lines[d.index]}: ${d.field} ${d.message}`;
        fail(file, err.details.length > 0 ? err.details.map(describe) : [`?: ${err.message}`]);
      }
      throw err;
    }
    io.out(
      `imported ${rows.length} extensions into ${tenant.sipDomain} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
    return 0;
  });
}
