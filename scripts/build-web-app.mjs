// Builds a web app (apps/portal, apps/phone → apps/<app>/dist) when its build is missing or
// older than its sources, so `npm start` on a fresh clone serves current apps. The sources'
// content hash (not their mtimes, which a checkout resets) is kept in dist/.source-hash.
// Plain Node; runs from scripts/ensure-install.mjs after the install, or alone:
//   node scripts/build-web-app.mjs portal|phone [--force]
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Each app, and the workspace packages its bundle is made from besides its own sources. */
export const WEB_APPS = {
  portal: { title: 'the portal', packages: ['contracts'] },
  phone: { title: 'the softphone', packages: ['contracts', 'sip'] },
};

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && !e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath ?? e.path, e.name));
}

/** Everything the bundle is made from: the app's sources, config and icons, and its packages. */
function sourceHash(name) {
  const app = join(root, 'apps', name);
  const files = ['index.html', 'vite.config.ts', 'package.json'].map((f) => join(app, f));
  const dirs = [
    join(app, 'src'),
    join(app, 'public'),
    ...WEB_APPS[name].packages.map((p) => join(root, 'packages', p, 'src')),
  ];
  const hash = createHash('sha256');
  for (const file of [...files, ...dirs.flatMap(filesUnder)].sort()) {
    if (!existsSync(file)) continue;
    hash.update(relative(root, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

const LOCK_WAIT_MS = 180_000;

/** One build at a time (test files start in parallel): a lock file, taken over when stale. */
function withLock(lockFile, fn) {
  const deadline = Date.now() + LOCK_WAIT_MS;
  mkdirSync(dirname(lockFile), { recursive: true });
  for (;;) {
    try {
      closeSync(openSync(lockFile, 'wx'));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const age = Date.now() - statSync(lockFile, { throwIfNoEntry: false })?.mtimeMs;
      if (age > LOCK_WAIT_MS || Date.now() > deadline) rmSync(lockFile, { force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

const stampOf = (name) => join(root, 'apps', name, 'dist', '.source-hash');
const isCurrent = (name, hash) =>
  existsSync(join(root, 'apps', name, 'dist', 'index.html')) &&
  existsSync(stampOf(name)) &&
  readFileSync(stampOf(name), 'utf8') === hash;

/** Builds apps/<name> unless its dist matches its sources; true when it built. */
export function ensureWebAppBuilt(name, { force = false } = {}) {
  if (!(name in WEB_APPS))
    throw new Error(`unknown web app ${JSON.stringify(name)}: ${Object.keys(WEB_APPS).join(', ')}`);
  const hash = sourceHash(name);
  if (isCurrent(name, hash) && !force) return false;
  const lockFile = join(root, 'node_modules', '.cache', `switchboard-${name}-build.lock`);
  return withLock(lockFile, () => {
    if (isCurrent(name, hash) && !force) return false; // built meanwhile by another process
    build(name, hash);
    return true;
  });
}

function build(name, hash) {
  const app = join(root, 'apps', name);
  process.stderr.write(`switchboard: building ${WEB_APPS[name].title} (apps/${name})…\n`);
  const vite = join(
    dirname(createRequire(join(app, 'package.json')).resolve('vite/package.json')),
    'bin',
    'vite.js',
  );
  // NODE_ENV=production even under a test runner (which sets "test"): a production React build.
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: app,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0)
    throw new Error(`${WEB_APPS[name].title} build failed (exit ${result.status ?? result.signal})`);
  writeFileSync(stampOf(name), hash);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const names = process.argv.slice(2).filter((a) => !a.startsWith('--'));
    for (const name of names.length > 0 ? names : Object.keys(WEB_APPS))
      ensureWebAppBuilt(name, { force: process.argv.includes('--force') });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
