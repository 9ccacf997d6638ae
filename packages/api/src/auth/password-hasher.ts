// Portal passwords: argon2id (RFC 9106) with OWASP's recommended minimum (19 MiB, t=2, p=1).
import { hash, verify } from '@node-rs/argon2';

// @node-rs/argon2's Algorithm.Argon2id; a const enum cannot be imported under isolatedModules.
const ARGON2ID = 2;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

export const argon2idHasher: PasswordHasher = {
  hash: (password) => hash(password, { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 }),
  verify: async (stored, password) => {
    try {
      return await verify(stored, password);
    } catch {
      return false;
    }
  },
};
