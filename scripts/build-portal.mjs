// Builds the management portal (apps/portal → apps/portal/dist) when the build is missing or
// older than its sources, so `npm start` on a fresh clone serves a current portal. The sources'
// content hash (not their mtimes, which a checkout resets) is kept in dist/.source-hash.
// Plain Node; runs from scripts/ensure-install.mjs after the install, or alone:
//   node scripts/build-portal.mjs [--force]
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
const portal = join(root, 'apps', 'portal');
const dist = join(portal, 'dist');
const stampFile = join(dist, '.source-hash');

/** Everything the bundle is made from: the portal's sources and config, and the contracts package. */
const INPUT_FILES = ['index.html', 'vite.config.ts', 'package.json'].map((f) => join(portal, f));
const INPUT_DIRS = [join(portal, 'src'), join(root, 'packages', 'contracts', 'src')];

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && !e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath ?? e.path, e.name));
}

function sourceHash() {
  const hash = createHash('sha256');
  const all = [...INPUT_FILES, ...INPUT_DIRS.flatMap(filesUnder)];
  for (const file of all.sort()) {
    if (!existsSync(file)) continue;
    hash.update(relative(root, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

const lockFile = join(root, 'node_modules', '.cache', 'switchboard-portal-build.lock');
const LOCK_WAIT_MS = 180_000;

/** One build at a time (test files start in parallel): a lock file, taken over when stale. */
function withLock(fn) {
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

const isCurrent = (hash) =>
  existsSync(join(dist, 'index.html')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash;

export function ensurePortalBuilt({ force = false } = {}) {
  const hash = sourceHash();
  if (isCurrent(hash) && !force) return false;
  return withLock(() => {
    if (isCurrent(hash) && !force) return false; // built meanwhile by another process
    build(hash);
    return true;
  });
}

function build(hash) {
  process.stderr.write('switchboard: building the portal (apps/portal)…\n');
  const vite = join(
    dirname(createRequire(join(portal, 'package.json')).resolve('vite/package.json')),
    'bin',
    'vite.js',
  );
  // NODE_ENV=production even under a test runner (which sets "test"): a production React build.
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: portal,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) throw new Error(`portal build failed (exit ${result.status ?? result.signal})`);
  writeFileSync(stampFile, hash);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    ensurePortalBuilt({ force: process.argv.includes('--force') });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
