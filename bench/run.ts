// The benchmark runner behind `npm run bench`.
//
//   npm run bench                      run every benchmark module
//   npm run bench -- sip-parser        run the named module(s)
//   npm run bench -- --list            list the modules
//   npm run bench -- --markdown ...    also print the results as Markdown for docs/benchmarks.md
//
// A module is any `bench/<name>.ts` (this file excepted) exporting
// `async function run(): Promise<BenchResult>` (see lib/bench-result.ts). Each module runs in a
// fresh child process (with --expose-gc, so harnesses may collect between rounds) so one
// benchmark's JIT state, heap and open handles cannot skew another.
// Benchmarks are not tests: vitest never collects this folder.
import { fork } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchModule, BenchResult } from './lib/bench-result.ts';
import { machineFacts, type MachineFacts } from './lib/machine.ts';
import { renderMarkdown, renderText } from './lib/table.ts';

const benchDir = dirname(fileURLToPath(import.meta.url));
const thisFile = fileURLToPath(import.meta.url);

function availableModules(): string[] {
  return readdirSync(benchDir)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && file !== basename(thisFile))
    .map((file) => file.slice(0, -'.ts'.length))
    .sort();
}

type ChildMessage =
  { readonly ok: true; readonly result: BenchResult } | { readonly ok: false; readonly error: string };

/** Child side: import one module, run it, send the result to the parent. */
async function runChild(name: string): Promise<void> {
  let message: ChildMessage;
  try {
    const mod = (await import(pathToFileURL(join(benchDir, `${name}.ts`)).href)) as Partial<BenchModule>;
    if (typeof mod.run !== 'function') throw new Error(`bench/${name}.ts does not export run()`);
    message = { ok: true, result: await mod.run() };
  } catch (error) {
    message = { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  process.send!(message, () => process.exit(0));
}

/** Parent side: run one module in a child process and wait for its result. */
function runModule(name: string): Promise<BenchResult> {
  return new Promise((resolve, reject) => {
    const child = fork(thisFile, ['--child', name], {
      execArgv: [...process.execArgv, '--expose-gc'],
      stdio: 'inherit',
    });
    let settled = false;
    child.on('message', (message: ChildMessage) => {
      settled = true;
      if (message.ok) resolve(message.result);
      else reject(new Error(message.error));
    });
    child.on('exit', (code, signal) => {
      if (!settled)
        reject(new Error(`bench/${name}.ts exited (${signal ?? `code ${code}`}) without a result`));
    });
  });
}

function printFacts(facts: MachineFacts): void {
  console.log(`CPU     ${facts.cpuModel} (${facts.cpuCount} logical CPUs), ${facts.memoryGiB} GiB RAM`);
  console.log(`Node    ${facts.node} (V8 ${facts.v8}), ${facts.platform}`);
  console.log(`Date    ${facts.date} (load average ${facts.loadAverage} at start)`);
}

function printResult(result: BenchResult, markdown: boolean): void {
  const render = markdown ? renderMarkdown : renderText;
  console.log(markdown ? `\n### ${result.title}\n` : `\n== ${result.title} (${result.name}) ==\n`);
  for (const table of result.tables) console.log(`${render(table)}\n`);
  for (const goal of result.goals ?? []) {
    console.log(
      `${markdown ? '- ' : ''}Goal ${goal.met ? 'met' : 'NOT met'}: ${goal.description} — ${goal.detail}`,
    );
  }
  if (result.notes?.length) {
    console.log(markdown ? '' : '\nNotes:');
    for (const note of result.notes) console.log(`- ${note}`);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === '--child' && argv[1]) {
    await runChild(argv[1]);
    return 0;
  }
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const names = argv.filter((a) => !a.startsWith('--'));
  const available = availableModules();
  if (flags.has('--list') || flags.has('--help')) {
    console.log('usage: npm run bench -- [--markdown] [module...]\nmodules:');
    for (const name of available) console.log(`  ${name}`);
    return 0;
  }
  const unknown = names.filter((n) => !available.includes(n));
  if (unknown.length > 0) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
    return 2;
  }
  const selected = names.length > 0 ? names : available;
  const markdown = flags.has('--markdown');
  printFacts(machineFacts());
  let failures = 0;
  for (const name of selected) {
    console.error(`\nrunning bench/${name}.ts …`);
    try {
      printResult(await runModule(name), markdown);
    } catch (error) {
      failures++;
      console.error(`bench/${name}.ts failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return failures > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
