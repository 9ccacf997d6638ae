// Voicemail and call recording of the built-in PBX (issue 7): each extension's recording policy
// and mailbox (PIN, greeting, e-mail), voicemail messages, recordings linked to their calls, and
// the tenant's recording settings (channels, retention). Audio lives in files under DATA_DIR;
// rows hold paths relative to it.
import type { Migration } from './migration.ts';

export const migration0004: Migration = {
  version: 4,
  name: 'voicemail-recording',
  sql: /* sql */ `
-- Which of an extension's calls are recorded: none, received, placed, or all.
ALTER TABLE sip_accounts ADD COLUMN recording_policy text NOT NULL DEFAULT 'off'
  CHECK (recording_policy IN ('off', 'inbound', 'outbound', 'all'));

-- A tenant's recording settings; no row means mono files kept forever.
CREATE TABLE tenant_recording_settings (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  -- 1: both parties mixed; 2: caller left, callee right.
  channels integer NOT NULL DEFAULT 1 CHECK (channels IN (1, 2)),
  -- Recordings older than this many days are deleted (files and rows); NULL keeps them.
  retention_days integer CHECK (retention_days BETWEEN 1 AND 36500),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per recorded stretch of a call (policy: the whole call; on demand: each start-stop).
CREATE TABLE call_recordings (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  -- The caller leg's SIP Call-ID: the call record (cdrs.sip_call_ids) names it too.
  sip_call_id text NOT NULL CHECK (length(sip_call_id) BETWEEN 1 AND 255),
  caller text NOT NULL,
  callee text NOT NULL,
  -- WAV file, relative to DATA_DIR.
  file text NOT NULL CHECK (length(file) BETWEEN 1 AND 500),
  channels integer NOT NULL CHECK (channels IN (1, 2)),
  duration_ms integer NOT NULL CHECK (duration_ms >= 0),
  trigger text NOT NULL CHECK (trigger IN ('policy', 'on-demand')),
  started_at timestamptz NOT NULL,
  ended_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT call_recordings_times_check CHECK (ended_at >= started_at)
);
CREATE INDEX call_recordings_call_idx ON call_recordings (tenant_id, sip_call_id);
CREATE INDEX call_recordings_started_idx ON call_recordings (tenant_id, started_at DESC);

-- An extension's mailbox; no row means the defaults (voicemail off, no PIN, default greeting).
CREATE TABLE voicemail_boxes (
  account_id uuid PRIMARY KEY REFERENCES sip_accounts (id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  -- Unanswered calls (busy, no answer, DND, not registered) go to the mailbox.
  enabled boolean NOT NULL DEFAULT false,
  -- scrypt$<salt hex>$<hash hex> of the PIN (4-12 digits); NULL = no PIN.
  pin_hash text,
  -- The recorded greeting (relative to DATA_DIR); NULL = the default greeting.
  greeting_file text,
  -- New messages are e-mailed here with the audio attached; NULL = no e-mail.
  email text CHECK (length(email) BETWEEN 3 AND 254),
  max_message_seconds integer NOT NULL DEFAULT 180 CHECK (max_message_seconds BETWEEN 10 AND 3600),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX voicemail_boxes_tenant_idx ON voicemail_boxes (tenant_id);

CREATE TABLE voicemail_messages (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES sip_accounts (id) ON DELETE CASCADE,
  caller text NOT NULL,
  caller_name text NOT NULL DEFAULT '',
  -- WAV file, relative to DATA_DIR.
  file text NOT NULL CHECK (length(file) BETWEEN 1 AND 500),
  duration_ms integer NOT NULL CHECK (duration_ms >= 0),
  -- 'new' until listened to; then 'saved' (RFC 3842's old messages).
  folder text NOT NULL DEFAULT 'new' CHECK (folder IN ('new', 'saved')),
  created_at timestamptz NOT NULL DEFAULT now(),
  heard_at timestamptz
);
CREATE INDEX voicemail_messages_box_idx ON voicemail_messages (account_id, folder, created_at);
`,
};
