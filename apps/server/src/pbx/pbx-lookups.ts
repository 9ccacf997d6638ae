// Wires the PBX's lookup cache (cached-directory.ts) to the database: subscribes it to change
// notifications and hands out what the PBX reads through — the Directory, and repositories for
// the PBX applications whose per-call reads (recording policy and settings, mailbox) are cached
// too. The API keeps the plain repositories: it reads rarely and must see its own writes.
//
// If the database cannot notify (say, a PostgreSQL pooler that does not pass LISTEN through),
// the PBX reads the database directly, as before: slower, never stale.
import type { Database, Repositories } from '@switchboard/db';
import type { Directory } from '@switchboard/pbx';
import {
  CachedDirectory,
  PbxLookupCache,
  extensionKey,
  type PbxLookupCacheOptions,
} from './cached-directory.ts';
import { DbDirectory } from './db-directory.ts';

export interface PbxLookups {
  readonly directory: Directory;
  /** The repositories for PbxAppsRuntime (voicemail, recording): cached where the PBX reads per call. */
  readonly repositories: Repositories;
  /** Undefined when the database could not subscribe to changes (nothing is cached then). */
  readonly cache: PbxLookupCache | undefined;
  close(): Promise<void>;
}

export async function startPbxLookups(
  db: Pick<Database, 'subscribeChanges'>,
  repos: Repositories,
  options: PbxLookupCacheOptions & { readonly onSubscribeError?: (error: unknown) => void } = {},
): Promise<PbxLookups> {
  const direct = new DbDirectory(repos);
  const cache = new PbxLookupCache(options);
  try {
    const subscription = await db.subscribeChanges({
      change: (change) => cache.apply(change),
      resync: () => cache.flush(),
    });
    return {
      directory: new CachedDirectory(direct, cache),
      repositories: cachedAppRepositories(repos, cache),
      cache,
      close: () => subscription.close(),
    };
  } catch (error) {
    options.onSubscribeError?.(error);
    return { directory: direct, repositories: repos, cache: undefined, close: async () => undefined };
  }
}

/** `repos` with the PBX applications' per-call reads answered from `cache`. */
export function cachedAppRepositories(repos: Repositories, cache: PbxLookupCache): Repositories {
  const { recordings, voicemail } = repos;
  return {
    ...repos,
    recordings: overlay(recordings, {
      policy: (tenantId, username) =>
        cache.recordingPolicies.get(extensionKey(tenantId, username), () =>
          recordings.policy(tenantId, username),
        ),
      settings: (tenantId) => cache.recordingSettings.get(tenantId, () => recordings.settings(tenantId)),
      setPolicy: (tenantId, username, policy) =>
        forgetAfter(recordings.setPolicy(tenantId, username, policy), () =>
          cache.recordingPolicies.delete(extensionKey(tenantId, username)),
        ),
      updateSettings: (tenantId, patch) =>
        forgetAfter(recordings.updateSettings(tenantId, patch), () =>
          cache.recordingSettings.delete(tenantId),
        ),
    }),
    voicemail: overlay(voicemail, {
      mailbox: (tenantId, extension) =>
        cache.mailboxes.get(extensionKey(tenantId, extension), () => voicemail.mailbox(tenantId, extension)),
      // The PBX records greetings (*97 menu): the next call plays the new one.
      update: (tenantId, extension, patch) =>
        forgetAfter(voicemail.update(tenantId, extension, patch), () =>
          cache.mailboxes.delete(extensionKey(tenantId, extension)),
        ),
    }),
  };
}

async function forgetAfter<T>(write: Promise<T>, forget: () => void): Promise<T> {
  try {
    return await write;
  } finally {
    forget();
  }
}

/** `target` with some methods replaced; the others are the target's own, bound to it. */
function overlay<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(object, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof T];
      const value: unknown = Reflect.get(object, property, object);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  });
}
