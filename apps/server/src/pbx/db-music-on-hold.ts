// Each tenant's own music on hold from the database (tenant_music_on_hold), decoded once and
// kept while its `updated_at` stays the same (checked at most every few seconds), so a new
// upload plays on the next hold without a restart.
import type { MusicOnHoldRepository } from '@switchboard/db';
import { musicFromWav, type PlaybackAudio } from '@switchboard/pbx';

const RECHECK_MS = 5_000;

export function dbMusicOnHold(
  repo: MusicOnHoldRepository,
  onError: (error: unknown) => void,
): (tenantId: string) => Promise<PlaybackAudio | undefined> {
  const cache = new Map<string, { checkedAt: number; version: number; audio: PlaybackAudio | undefined }>();
  return async (tenantId) => {
    const now = Date.now();
    const hit = cache.get(tenantId);
    if (hit && now - hit.checkedAt < RECHECK_MS) return hit.audio;
    try {
      const info = await repo.info(tenantId);
      const version = info?.updatedAt.getTime() ?? 0;
      if (hit && hit.version === version) {
        hit.checkedAt = now;
        return hit.audio;
      }
      const track = info && (await repo.find(tenantId));
      const decoded = track ? musicFromWav(track.wav) : undefined;
      const audio = decoded?.ok ? decoded.audio : undefined;
      cache.set(tenantId, { checkedAt: now, version, audio });
      return audio;
    } catch (error) {
      onError(error);
      return hit?.audio;
    }
  };
}
