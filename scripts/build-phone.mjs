// Builds the softphone (apps/phone → apps/phone/dist) when the build is missing or
// older than its sources, so `npm start` on a fresh clone serves a current softphone at /phone/. The sources'
// content hash (not their mtimes, which a checkout resets) is kept in dist/.source-hash.
// Plain Node; runs from scripts/ensure-install.mjs after the install, or alone:
//   node scripts/build-phone.mjs [--force]
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
const phone = join(root, 'apps', 'phone');
const dist = join(phone, 'dist');
const stampFile = join(dist, '.source-hash');

/** Everything the bundle is made from: the app's sources, config and icons, and the contracts and sip packages. */
const INPUT_FILES = ['index.html', 'vite.config.ts', 'package.json'].map((f) => join(phone, f));
const INPUT_DIRS = [
  join(phone, 'src'),
  join(phone, 'public'),
  join(root, 'packages', 'contracts', 'src'),
  join(root, 'packages', 'sip', 'src'),
];

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

const lockFile = join(root, 'node_modules', '.cache', 'switchboard-phone-build.lock');
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

export function ensurePhoneBuilt({ force = false } = {}) {
  const hash = sourceHash();
  if (isCurrent(hash) && !force) return false;
  return withLock(() => {
    if (isCurrent(hash) && !force) return false; // built meanwhile by another process
    build(hash);
    return true;
  });
}

function build(hash) {
  process.stderr.write('switchboard: building the softphone (apps/phone)…\n');
  const vite = join(
    dirname(createRequire(join(phone, 'package.json')).resolve('vite/package.json')),
    'bin',
    'vite.js',
  );
  // NODE_ENV=production even under a test runner (which sets "test"): a production React build.
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: phone,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) throw new Error(`softphone build failed (exit ${result.status ?? result.signal})`);
  writeFileSync(stampFile, hash);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    ensurePhoneBuilt({ force: process.argv.includes('--force') });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
