// Call recording's store over the database (policies, settings, recordings) and DATA_DIR (the
// WAV files), and the retention job that deletes recordings older than the tenant keeps them.
import type { Repositories } from '@switchboard/db';
import type { NewCallRecording, RecordingPolicy, RecordingSettings, RecordingStore } from '@switchboard/pbx';
import type { MediaFiles } from './media-files.ts';

export class DbRecordingStore implements RecordingStore {
  constructor(
    private readonly repos: Pick<Repositories, 'recordings'>,
    private readonly files: MediaFiles,
  ) {}

  policy(tenantId: string, extension: string): Promise<RecordingPolicy> {
    return this.repos.recordings.policy(tenantId, extension);
  }

  async settings(tenantId: string): Promise<RecordingSettings> {
    return { channels: (await this.repos.recordings.settings(tenantId)).channels };
  }

  newRecordingFile(tenantId: string): { id: string; file: string } {
    return this.files.recording(tenantId, new Date());
  }

  async save(recording: NewCallRecording): Promise<void> {
    await this.repos.recordings.insert({ ...recording, file: this.files.stored(recording.file) });
  }
}

/** Deletes recordings (files, then rows) past their tenant's retention; returns how many. */
export async function purgeExpiredRecordings(
  repos: Pick<Repositories, 'recordings'>,
  files: MediaFiles,
  now: Date,
): Promise<number> {
  let removed = 0;
  for (;;) {
    const batch = await repos.recordings.expired(now, 200);
    for (const r of batch) {
      await files.remove(r.file);
      if (await repos.recordings.remove(r.tenantId, r.id)) removed++;
    }
    if (batch.length < 200) return removed;
  }
}
