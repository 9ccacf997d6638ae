// The extensions a benchmark creates on every server under test — the same user names and
// passwords everywhere — and the SIPp injection files (-inf) that hand each SIPp process its
// own slice of them.
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';

export interface BenchUser {
  readonly username: string;
  readonly password: string;
}

/** `count` users numbered from `first` (e.g. 100000…109999), each with its own password. */
export function benchUsers(count: number, first = 100_000): BenchUser[] {
  return Array.from({ length: count }, (_, i) => {
    const username = String(first + i);
    // Not secret, only distinct: a password per user, so a mix-up fails authentication.
    const password = `pw-${createHash('sha256').update(username).digest('hex').slice(0, 12)}`;
    return { username, password };
  });
}

/** Splits users into `parts` disjoint, contiguous slices of (nearly) equal size. */
export function sliceUsers(users: readonly BenchUser[], parts: number): BenchUser[][] {
  const out: BenchUser[][] = [];
  for (let i = 0; i < parts; i++)
    out.push(
      users.slice(Math.floor((i * users.length) / parts), Math.floor(((i + 1) * users.length) / parts)),
    );
  return out;
}

/**
 * A SIPp injection file: SEQUENTIAL (each new scenario takes the next line, wrapping around),
 * field0 the user name, field1 SIPp's digest keyword with that user's credentials.
 */
export async function writeInjectionFile(path: string, users: readonly BenchUser[]): Promise<void> {
  const lines = users.map(
    (u) => `${u.username};[authentication username=${u.username} password=${u.password}]`,
  );
  await writeFile(path, ['SEQUENTIAL', ...lines].join('\n') + '\n');
}
