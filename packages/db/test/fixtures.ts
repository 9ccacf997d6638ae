// A fixed test key (never used outside tests) and a repositories factory over a test database.
import { createRepositories, SecretBox, type Repositories, type Sql } from '@switchboard/db';

export const TEST_KEY = new Uint8Array(32).map((_, i) => i + 1);
export const testSecrets = (): SecretBox => new SecretBox(TEST_KEY);

export function repos(sql: Sql): Repositories {
  return createRepositories(sql, testSecrets());
}

let n = 0;
/** A domain no other test in the file uses. */
export function uniqueDomain(prefix = 't'): string {
  n++;
  return `${prefix}${n}-${process.pid}.example.com`;
}
