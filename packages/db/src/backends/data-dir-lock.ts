// An embedded PGlite database belongs to one process: two processes writing the same directory
// would corrupt it. This lock file (`DATA_DIR/pglite.lock`, holding the owner's pid) makes the
// second process fail with a clear message instead. A lock left by a dead process is taken over.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

export class DataDirLockedError extends Error {
  constructor(
    readonly lockFile: string,
    readonly pid: number,
  ) {
    super(
      `the embedded database in ${lockFile.replace(/\/pglite\.lock$/, '')} is in use by process ${pid} ` +
        '(an embedded database serves one process; stop that process, or use a PostgreSQL server via DATABASE_URL)',
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  release(): void;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireDataDirLock(lockFile: string): DataDirLock {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            unlinkSync(lockFile);
          } catch {
            // Already gone: nothing to release.
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let owner = NaN;
    try {
      owner = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
    } catch {
      continue; // Removed meanwhile: try again.
    }
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && processAlive(owner)) {
      throw new DataDirLockedError(lockFile, owner);
    }
    if (owner === process.pid) throw new DataDirLockedError(lockFile, owner);
    // NOTE: stale lock (its process is gone, or the file is unreadable garbage): take it over.
    try {
      unlinkSync(lockFile);
    } catch {
      // Another process removed it first; the next attempt decides.
    }
  }
  throw new Error(`could not take the lock ${lockFile}`);
}
