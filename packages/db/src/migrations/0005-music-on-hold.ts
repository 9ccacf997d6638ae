// A tenant's own music on hold (issue 7): the uploaded track, converted by the API to 8 kHz
// 16-bit mono WAV (what the PBX plays into G.711 legs). In the database, not in DATA_DIR, so
// every PBX node sharing one PostgreSQL plays the same music. No row: the built-in melody.
import type { Migration } from './migration.ts';

export const migration0005: Migration = {
  version: 5,
  name: 'music-on-hold',
  sql: /* sql */ `
CREATE TABLE tenant_music_on_hold (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  -- The uploaded file's name, for people.
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- RIFF WAVE, PCM 16-bit, 8000 Hz, mono; at most 5 minutes (4.8 MB).
  wav bytea NOT NULL CHECK (octet_length(wav) BETWEEN 44 AND 4900000),
  duration_ms integer NOT NULL CHECK (duration_ms BETWEEN 1000 AND 300000),
  updated_at timestamptz NOT NULL DEFAULT now()
);
`,
};
