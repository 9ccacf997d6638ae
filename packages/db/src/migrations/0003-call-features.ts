// Call features of the built-in PBX (issue 7): per-extension Do Not Disturb and call forwarding,
// and per-tenant feature codes that replace the defaults (docs/feature-codes.md).
import type { Migration } from './migration.ts';

export const migration0003: Migration = {
  version: 3,
  name: 'call-features',
  sql: /* sql */ `
-- One row per extension that changed a setting; no row means the defaults (all off).
CREATE TABLE extension_call_settings (
  account_id uuid PRIMARY KEY REFERENCES sip_accounts (id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  -- Do Not Disturb: incoming calls are refused (480); outgoing calls still work.
  dnd boolean NOT NULL DEFAULT false,
  -- Forwarding targets (a number as dialled: an extension of the tenant); NULL = off.
  forward_always text CHECK (forward_always ~ '^[0-9*#+]{1,32}$'),
  forward_busy text CHECK (forward_busy ~ '^[0-9*#+]{1,32}$'),
  forward_no_answer text CHECK (forward_no_answer ~ '^[0-9*#+]{1,32}$'),
  forward_unavailable text CHECK (forward_unavailable ~ '^[0-9*#+]{1,32}$'),
  -- How long the extension rings before "no answer" forwarding takes over.
  no_answer_seconds integer NOT NULL DEFAULT 20 CHECK (no_answer_seconds BETWEEN 5 AND 120),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX extension_call_settings_tenant_idx ON extension_call_settings (tenant_id);

-- A tenant's own code for a feature; features without a row use the default code.
CREATE TABLE tenant_feature_codes (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  feature text NOT NULL CHECK (feature ~ '^[a-z][a-z0-9-]{0,63}$'),
  code text NOT NULL CHECK (code ~ '^[*#][0-9*#]{0,7}$'),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, feature),
  CONSTRAINT tenant_feature_codes_code_key UNIQUE (tenant_id, code)
);
`,
};
