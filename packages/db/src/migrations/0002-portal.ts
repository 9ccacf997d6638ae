// The management portal's model: portal users (administrators of an organisation = tenant),
// their browser sessions, API tokens and e-mailed one-time tokens; contacts (end users) with
// labelled e-mail addresses; devices (softphone installations) with 1-4 ordered SIP accounts,
// activation codes and a device credential; the audit log; the mail outbox.
// Secrets are stored as SHA-256 hashes of random tokens (never the token itself); the current
// activation code is also kept encrypted (SecretBox) because the portal shows it.
import type { Migration } from './migration.ts';

export const migration0002: Migration = {
  version: 2,
  name: 'portal',
  sql: /* sql */ `
ALTER TABLE tenants ADD COLUMN website text CHECK (length(website) <= 300);

CREATE TABLE users (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  -- Lower case; one account per address across the whole server.
  email text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  first_name text NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
  last_name text NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
  -- argon2id PHC string.
  password_hash text NOT NULL,
  role text NOT NULL DEFAULT 'owner' CHECK (role IN ('owner', 'admin')),
  email_confirmed_at timestamptz,
  privacy_accepted_at timestamptz NOT NULL,
  news_opt_in boolean NOT NULL DEFAULT false,
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT users_email_key UNIQUE (email)
);
CREATE INDEX users_tenant_idx ON users (tenant_id);

-- Browser sessions (HTTP-only cookie). id = SHA-256 of the cookie value.
CREATE TABLE user_sessions (
  id text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  ip text,
  user_agent text
);
CREATE INDEX user_sessions_user_idx ON user_sessions (user_id);

-- Bearer tokens for scripts. Only the hash is stored; prefix helps people tell them apart.
CREATE TABLE api_tokens (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  token_hash text NOT NULL,
  prefix text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  CONSTRAINT api_tokens_hash_key UNIQUE (token_hash)
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- One-time tokens sent by e-mail: address confirmation and password reset.
CREATE TABLE email_tokens (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (purpose IN ('confirm_email', 'reset_password')),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX email_tokens_user_idx ON email_tokens (user_id, purpose);

CREATE TABLE contacts (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  first_name text NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
  last_name text NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT contacts_tenant_id_id_key UNIQUE (tenant_id, id)
);
CREATE INDEX contacts_tenant_name_idx ON contacts (tenant_id, lower(last_name), lower(first_name));

CREATE TABLE contact_emails (
  contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  position integer NOT NULL CHECK (position >= 0),
  address text NOT NULL CHECK (length(address) BETWEEN 3 AND 254),
  label text NOT NULL CHECK (label IN ('work', 'home')),
  PRIMARY KEY (contact_id, position)
);
CREATE INDEX contact_emails_address_idx ON contact_emails (lower(address));

CREATE TABLE devices (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  contact_id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- Reported by the app at activation.
  os text,
  app_version text,
  activated_at timestamptz,
  -- SHA-256 of the device credential; NULL while not activated (or after a reset).
  token_hash text,
  instructions_sent_at timestamptz,
  instructions_sent_to text,
  -- Bumped on every change of what the device receives; fetched_version = what it has.
  config_version integer NOT NULL DEFAULT 1,
  fetched_version integer NOT NULL DEFAULT 0,
  last_seen_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT devices_contact_fkey FOREIGN KEY (tenant_id, contact_id)
    REFERENCES contacts (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT devices_token_hash_key UNIQUE (token_hash),
  CONSTRAINT devices_activation_check CHECK ((token_hash IS NULL) OR (activated_at IS NOT NULL))
);
CREATE INDEX devices_contact_idx ON devices (contact_id);

-- The ordered SIP accounts (lines) of a device, with the registration state it last reported.
CREATE TABLE device_accounts (
  device_id uuid NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  position integer NOT NULL CHECK (position BETWEEN 0 AND 3),
  account_id uuid NOT NULL REFERENCES sip_accounts (id) ON DELETE CASCADE,
  line_state text CHECK (line_state IN ('registered', 'unregistered', 'failed')),
  line_reported_at timestamptz,
  PRIMARY KEY (device_id, position),
  CONSTRAINT device_accounts_unique_key UNIQUE (device_id, account_id)
);
CREATE INDEX device_accounts_account_idx ON device_accounts (account_id);

-- Every code a device ever had: the active one (also encrypted, for the portal to show) and the
-- used or replaced ones, so that the app gets a precise error for an old code.
CREATE TABLE activation_codes (
  code_hash text PRIMARY KEY,
  device_id uuid NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  state text NOT NULL CHECK (state IN ('active', 'used', 'replaced')),
  code_enc text,
  created_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  CONSTRAINT activation_codes_active_check CHECK ((state = 'active') = (code_enc IS NOT NULL))
);
CREATE UNIQUE INDEX activation_codes_one_active_key ON activation_codes (device_id) WHERE state = 'active';

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  at timestamptz NOT NULL DEFAULT now(),
  actor_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
  -- Who, as shown to people: an e-mail, "token <name> of <e-mail>", "cli".
  actor text NOT NULL,
  action text NOT NULL,
  target_type text NOT NULL,
  target_id text,
  -- Changed fields and context; never secrets.
  details jsonb NOT NULL DEFAULT '{}',
  ip text
);
CREATE INDEX audit_log_tenant_idx ON audit_log (tenant_id, id DESC);

-- Mail that was not sent over SMTP (no SMTP_URL): shown by the portal instead.
CREATE TABLE mail_outbox (
  id uuid PRIMARY KEY,
  tenant_id uuid REFERENCES tenants (id) ON DELETE CASCADE,
  to_address text NOT NULL,
  subject text NOT NULL,
  text_body text NOT NULL,
  html_body text,
  -- [{ filename, contentType, cid, base64 }]
  attachments jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mail_outbox_tenant_idx ON mail_outbox (tenant_id, created_at DESC);
`,
};
