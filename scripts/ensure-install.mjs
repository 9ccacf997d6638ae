// Installs npm dependencies on a fresh clone so `npm start` and `npm test` work as the first
// command. Plain Node, no dependencies: it runs before anything is installed.
import { existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const marker = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');

const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs);
if (stale) {
  process.stderr.write('switchboard: installing npm dependencies (first run)…\n');
  // NOTE: `npm install`, not `npm ci`: this machine's npm registry lacks some other platforms'
  // optional binaries (e.g. @unrs/resolver-binding-android-*), which `npm ci` insists on finding in
  // the lock file. `npm install` installs exactly the locked versions and leaves the lock as it is.
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// The management portal's and the softphone's builds (apps/*/dist), made again when their sources changed.
const { ensureWebAppBuilt, WEB_APPS } = await import('./build-web-app.mjs');
try {
  for (const name of Object.keys(WEB_APPS)) ensureWebAppBuilt(name);
} catch (error) {
  process.stderr.write(`switchboard: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
