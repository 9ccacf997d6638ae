// SIP trunks (issue 7: calls, transfers and forwarding to external numbers): a tenant's
// connections to SIP providers, the outbound routes that choose a trunk for a dialled number,
// the DIDs (the tenant's public numbers) that inbound calls ring, and the tenant's policy on
// external calls (off until an administrator allows them). See docs/trunks.md.
import type { Migration } from './migration.ts';

export const migration0007: Migration = {
  version: 7,
  name: 'trunks',
  sql: /* sql */ `
CREATE TABLE trunks (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- The provider's SIP server (host name or IPv4 address), port and transport.
  host text NOT NULL CHECK (length(host) BETWEEN 1 AND 253),
  port integer NOT NULL DEFAULT 5060 CHECK (port BETWEEN 1 AND 65535),
  transport text NOT NULL DEFAULT 'udp' CHECK (transport IN ('udp', 'tcp', 'tls')),
  -- Optional outbound proxy (host or host:port): requests go there with a loose Route.
  outbound_proxy text CHECK (length(outbound_proxy) BETWEEN 1 AND 260),
  -- Digest credentials at the provider; the password is encrypted like SIP account passwords.
  auth_username text CHECK (length(auth_username) BETWEEN 1 AND 128),
  password_enc text,
  -- From of outgoing INVITEs: user (default: the caller ID) and domain (default: host).
  from_user text CHECK (length(from_user) BETWEEN 1 AND 64),
  from_domain text CHECK (length(from_domain) BETWEEN 1 AND 253),
  -- The number presented to the called party (E.164 or national); NULL: the extension's number.
  caller_id text CHECK (caller_id ~ '^\\+?[0-9]{1,32}$'),
  -- REGISTER to the provider so that it sends inbound calls here.
  register boolean NOT NULL DEFAULT false,
  -- Codec preference (PCMU, PCMA), first preferred.
  codecs text[] NOT NULL DEFAULT ARRAY['PCMU', 'PCMA'],
  -- Extra source addresses (IPv4 or IPv4/prefix) the provider sends inbound calls from.
  inbound_addresses text[] NOT NULL DEFAULT ARRAY[]::text[],
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT trunks_tenant_name_key UNIQUE (tenant_id, name),
  CONSTRAINT trunks_tenant_id_key UNIQUE (tenant_id, id)
);

-- Which trunk a dialled number goes out on: the first route (by position) whose pattern matches.
CREATE TABLE trunk_outbound_routes (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  trunk_id uuid NOT NULL,
  -- Dial pattern (docs/trunks.md): digits, + * #, X Z N, [set], a final . or !
  pattern text NOT NULL CHECK (pattern ~ '^[0-9*#+XZNxzn\\[\\]\\-.!]{1,64}$'),
  -- Digits removed from the front of the dialled number, then the prefix put in front.
  strip integer NOT NULL DEFAULT 0 CHECK (strip BETWEEN 0 AND 32),
  prepend text NOT NULL DEFAULT '' CHECK (prepend ~ '^[0-9*#+]{0,16}$'),
  position integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, trunk_id) REFERENCES trunks (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX trunk_outbound_routes_tenant_idx ON trunk_outbound_routes (tenant_id, position);

-- A tenant's public numbers: an inbound call to one rings its extension.
CREATE TABLE trunk_dids (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  -- As the provider sends it (E.164 with or without +, or national).
  number text NOT NULL CHECK (number ~ '^\\+?[0-9]{1,32}$'),
  -- The extension number that rings.
  extension text NOT NULL CHECK (length(extension) BETWEEN 1 AND 64),
  -- Only calls from this trunk (NULL: from any trunk of the tenant).
  trunk_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT trunk_dids_number_key UNIQUE (tenant_id, number),
  FOREIGN KEY (tenant_id, trunk_id) REFERENCES trunks (tenant_id, id) ON DELETE CASCADE
);

-- External calls (outbound, forwarding and transfer to external numbers): off without a row.
CREATE TABLE tenant_trunk_policy (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  external_calls boolean NOT NULL DEFAULT false,
  -- When not NULL, only these extensions may call out.
  allowed_extensions text[],
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The trunk a call went out or came in on.
ALTER TABLE cdrs ADD COLUMN trunk_id uuid REFERENCES trunks (id) ON DELETE SET NULL;
`,
};
