// The first schema: tenants, their providers (the built-in PBX and, from the portal issue,
// external SIP providers), SIP accounts (on the built-in provider an account *is* a PBX
// extension), call detail records, and settings. Every table carries tenant_id so queries are
// scoped per tenant. See docs/database.md for the model.
import type { Migration } from './migration.ts';

export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  sql: /* sql */ `
CREATE TABLE tenants (
  id uuid PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- Lower-case host name; also the digest realm of the tenant's accounts.
  sip_domain text NOT NULL CHECK (sip_domain = lower(sip_domain) AND length(sip_domain) BETWEEN 1 AND 253),
  -- The default tenant also answers for the server's own addresses (no DNS needed).
  is_default boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT tenants_sip_domain_key UNIQUE (sip_domain)
);
CREATE UNIQUE INDEX tenants_one_default_key ON tenants (is_default) WHERE is_default;

CREATE TABLE providers (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  -- 'builtin': this server's PBX (one per tenant, never deleted); 'sip': an external provider.
  kind text NOT NULL CHECK (kind IN ('builtin', 'sip')),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  host text,
  port integer NOT NULL DEFAULT 5060 CHECK (port BETWEEN 1 AND 65535),
  proxy text,
  transport text NOT NULL DEFAULT 'udp' CHECK (transport IN ('udp', 'tcp', 'tls')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT providers_tenant_id_id_key UNIQUE (tenant_id, id),
  CONSTRAINT providers_host_check CHECK ((kind = 'builtin') = (host IS NULL))
);
CREATE UNIQUE INDEX providers_one_builtin_key ON providers (tenant_id) WHERE kind = 'builtin';

-- The built-in provider goes only with its tenant: deleting it alone, or changing its kind, fails.
CREATE FUNCTION providers_keep_builtin() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.kind <> NEW.kind OR OLD.tenant_id <> NEW.tenant_id THEN
      RAISE EXCEPTION 'a provider''s kind and tenant cannot change' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF OLD.kind = 'builtin' AND EXISTS (SELECT 1 FROM tenants WHERE id = OLD.tenant_id) THEN
    RAISE EXCEPTION 'the built-in PBX provider cannot be deleted' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN OLD;
END;
$$;
CREATE TRIGGER providers_keep_builtin BEFORE DELETE OR UPDATE ON providers
  FOR EACH ROW EXECUTE FUNCTION providers_keep_builtin();

CREATE TABLE sip_accounts (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  provider_id uuid NOT NULL,
  -- SIP user name; on the built-in provider, the extension number.
  username text NOT NULL CHECK (length(username) BETWEEN 1 AND 64),
  -- Friendly name shown in the portal.
  name text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
  display_name text NOT NULL DEFAULT '' CHECK (length(display_name) <= 128),
  -- Digest user name when it differs from username (external providers); NULL = username.
  auth_username text CHECK (length(auth_username) BETWEEN 1 AND 64),
  -- AES-256-GCM envelope (see crypto/secret-box.ts); NULL when the password is entered manually.
  password_enc text,
  -- Digest HA1 = H(user:realm:password) cached for the registrar; NULL when not computed.
  digest_realm text,
  ha1_md5 text CHECK (ha1_md5 ~ '^[0-9a-f]{32}$'),
  ha1_sha256 text CHECK (ha1_sha256 ~ '^[0-9a-f]{64}$'),
  manual_password boolean NOT NULL DEFAULT false,
  protocol text NOT NULL DEFAULT 'udp' CHECK (protocol IN ('udp', 'tcp', 'tls')),
  push_proxy boolean NOT NULL DEFAULT false,
  dialing_rules text NOT NULL DEFAULT '',
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- The provider belongs to the same tenant as the account.
  CONSTRAINT sip_accounts_provider_fkey FOREIGN KEY (tenant_id, provider_id)
    REFERENCES providers (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT sip_accounts_provider_username_key UNIQUE (provider_id, username),
  CONSTRAINT sip_accounts_digest_check CHECK ((digest_realm IS NULL) = (ha1_md5 IS NULL AND ha1_sha256 IS NULL))
);
CREATE INDEX sip_accounts_tenant_username_idx ON sip_accounts (tenant_id, username);

CREATE TABLE cdrs (
  -- Chosen by the PBX when the call starts, so writing a record twice stores it once.
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  direction text NOT NULL CHECK (direction IN ('internal', 'inbound', 'outbound')),
  caller text NOT NULL,
  callee text NOT NULL,
  caller_account_id uuid REFERENCES sip_accounts (id) ON DELETE SET NULL,
  callee_account_id uuid REFERENCES sip_accounts (id) ON DELETE SET NULL,
  started_at timestamptz NOT NULL,
  answered_at timestamptz,
  ended_at timestamptz NOT NULL,
  duration_ms integer NOT NULL CHECK (duration_ms >= 0),
  billable_seconds integer NOT NULL CHECK (billable_seconds >= 0),
  disposition text NOT NULL CHECK (disposition IN ('answered', 'busy', 'no_answer', 'failed', 'cancelled')),
  hangup_cause text NOT NULL CHECK (length(hangup_cause) BETWEEN 1 AND 100),
  hangup_side text NOT NULL CHECK (hangup_side IN ('caller', 'callee', 'system')),
  -- Final SIP status of a call that was not answered (486, 480, 487, …).
  sip_status integer CHECK (sip_status BETWEEN 100 AND 699),
  sip_call_ids text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT cdrs_times_check CHECK (ended_at >= started_at
    AND (answered_at IS NULL OR answered_at BETWEEN started_at AND ended_at)),
  CONSTRAINT cdrs_answered_check CHECK ((disposition = 'answered') = (answered_at IS NOT NULL))
);
CREATE INDEX cdrs_tenant_started_idx ON cdrs (tenant_id, started_at DESC, id DESC);
CREATE INDEX cdrs_started_idx ON cdrs (started_at DESC, id DESC);

-- Small server-wide values, e.g. the id of the key that encrypted the SIP passwords.
CREATE TABLE app_settings (
  key text PRIMARY KEY,
  value text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
`,
};
