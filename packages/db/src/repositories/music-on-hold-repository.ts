// A tenant's own music on hold (migration 0005): one track per tenant, already converted to
// 8 kHz 16-bit mono WAV by whoever stores it. No row means the PBX's built-in melody.
import type { Sql } from '../sql.ts';
import { assertValid, checkText } from '../validation.ts';
import { asDate } from './row.ts';

export interface MusicOnHoldInfo {
  readonly name: string;
  readonly durationMs: number;
  readonly updatedAt: Date;
}

export interface MusicOnHold extends MusicOnHoldInfo {
  readonly wav: Uint8Array;
}

export class MusicOnHoldRepository {
  constructor(private readonly sql: Sql) {}

  async find(tenantId: string): Promise<MusicOnHold | undefined> {
    const { rows } = await this.sql.query(
      'SELECT name, wav, duration_ms, updated_at FROM tenant_music_on_hold WHERE tenant_id = $1',
      [tenantId],
    );
    const row = rows[0];
    return (
      row && {
        name: String(row.name),
        wav: new Uint8Array(row.wav as Uint8Array),
        durationMs: Number(row.duration_ms),
        updatedAt: asDate(row.updated_at),
      }
    );
  }

  /** Name, length and date without the audio (listing, change detection). */
  async info(tenantId: string): Promise<MusicOnHoldInfo | undefined> {
    const { rows } = await this.sql.query(
      'SELECT name, duration_ms, updated_at FROM tenant_music_on_hold WHERE tenant_id = $1',
      [tenantId],
    );
    const row = rows[0];
    return (
      row && {
        name: String(row.name),
        durationMs: Number(row.duration_ms),
        updatedAt: asDate(row.updated_at),
      }
    );
  }

  /** Stores (or replaces) the tenant's track. */
  async put(
    tenantId: string,
    track: { name: string; wav: Uint8Array; durationMs: number },
  ): Promise<MusicOnHoldInfo> {
    assertValid(
      checkText('name', track.name, 1, 200),
      track.durationMs >= 1000 && track.durationMs <= 300_000
        ? undefined
        : { field: 'durationMs', message: 'expected 1 s to 5 minutes' },
    );
    const { rows } = await this.sql.query(
      `INSERT INTO tenant_music_on_hold (tenant_id, name, wav, duration_ms) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id) DO UPDATE SET name = $2, wav = $3, duration_ms = $4, updated_at = now()
       RETURNING updated_at`,
      [tenantId, track.name, track.wav, track.durationMs],
    );
    return { name: track.name, durationMs: track.durationMs, updatedAt: asDate(rows[0]!.updated_at) };
  }

  /** Back to the built-in melody. */
  async remove(tenantId: string): Promise<void> {
    await this.sql.query('DELETE FROM tenant_music_on_hold WHERE tenant_id = $1', [tenantId]);
  }
}
