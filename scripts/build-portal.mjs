// Builds the management portal (apps/portal → apps/portal/dist) when the build is missing or
// older than its sources, so `npm start` on a fresh clone serves a current portal. The sources'
// content hash (not their mtimes, which a checkout resets) is kept in dist/.source-hash.
// Plain Node; runs from scripts/ensure-install.mjs after the install, or alone:
//   node scripts/build-portal.mjs [--force]
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

export function ensurePortalBuilt({ force = false } = {}) {
  const hash = sourceHash();
  const current =
    existsSync(join(dist, 'index.html')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash;
  if (current && !force) return false;
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
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    ensurePortalBuilt({ force: process.argv.includes('--force') });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
