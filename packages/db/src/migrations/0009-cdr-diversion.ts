// Call forwarding and voicemail on the call record (issue 7): the number the caller dialled and
// the extensions that diverted the call, in order. 1001 → 1002 (forwards to 1003) → 1003 is
// callee 1003, dialled 1002, diverted_from {1002}: 1002's call history finds the call there.
import type { Migration } from './migration.ts';

export const migration0009: Migration = {
  version: 9,
  name: 'cdr-diversion',
  sql: /* sql */ `
ALTER TABLE cdrs ADD COLUMN dialled text CHECK (length(dialled) <= 255);
ALTER TABLE cdrs ADD COLUMN diverted_from text[] NOT NULL DEFAULT '{}';
CREATE INDEX cdrs_diverted_from_idx ON cdrs USING gin (diverted_from);
`,
};
