// Change notifications (issue 3, performance): the PBX keeps what it reads on every REGISTER
// and call (tenants, extensions and their credentials, call settings, feature codes, recording
// settings, mailboxes) in memory, and these triggers tell it what to forget. Every committed
// insert, update or delete of such a row sends
//
//   NOTIFY switchboard_changes, '{"table":"sip_accounts","op":"update","tenant_id":"…","key":"1001"}'
//
// whoever made the change: the server itself, the CLI through the embedded database's socket,
// or another node sharing one PostgreSQL. `key` names the row the way the PBX looks it up: the
// SIP domain (tenants), the extension's username (sip_accounts, extension_call_settings,
// voicemail_boxes), the feature (tenant_feature_codes), none (tenant_recording_settings: one row
// per tenant). A null key on a per-extension table (its account was deleted in the same
// statement) means "any row of that tenant". Payloads stay far below NOTIFY's 8000-byte limit:
// the keys are bounded by the tables' CHECKs. See docs/database.md.
import type { Migration } from './migration.ts';

export const migration0006: Migration = {
  version: 6,
  name: 'change-notifications',
  sql: /* sql */ `
CREATE FUNCTION switchboard_change_payload(tbl text, op text, tenant uuid, key text) RETURNS text
  LANGUAGE sql IMMUTABLE AS $$
  SELECT json_build_object('table', tbl, 'op', op, 'tenant_id', tenant, 'key', key)::text
$$;

-- The row's lookup key (see above). A per-extension row names its account by id: read the
-- username, which is gone when the account itself is being deleted (its own notice covers it).
CREATE FUNCTION switchboard_change_key(tbl text, row_json jsonb) RETURNS text LANGUAGE plpgsql STABLE AS $$
BEGIN
  CASE tbl
    WHEN 'tenants' THEN RETURN row_json->>'sip_domain';
    WHEN 'sip_accounts' THEN RETURN row_json->>'username';
    WHEN 'tenant_feature_codes' THEN RETURN row_json->>'feature';
    WHEN 'extension_call_settings', 'voicemail_boxes' THEN
      RETURN (SELECT username FROM sip_accounts WHERE id = (row_json->>'account_id')::uuid);
    ELSE RETURN NULL;
  END CASE;
END;
$$;

CREATE FUNCTION switchboard_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  op text := lower(TG_OP);
  old_row jsonb;
  new_row jsonb;
  tenant_column text := CASE WHEN TG_TABLE_NAME = 'tenants' THEN 'id' ELSE 'tenant_id' END;
  old_tenant uuid;
  new_tenant uuid;
  old_key text;
  new_key text;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    old_row := to_jsonb(OLD);
    old_tenant := (old_row->>tenant_column)::uuid;
    old_key := switchboard_change_key(TG_TABLE_NAME, old_row);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    new_row := to_jsonb(NEW);
    new_tenant := (new_row->>tenant_column)::uuid;
    new_key := switchboard_change_key(TG_TABLE_NAME, new_row);
  END IF;
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('switchboard_changes', switchboard_change_payload(TG_TABLE_NAME, op, old_tenant, old_key));
    RETURN OLD;
  END IF;
  PERFORM pg_notify('switchboard_changes', switchboard_change_payload(TG_TABLE_NAME, op, new_tenant, new_key));
  -- A renamed row (a new SIP domain or username): whoever cached the old name must forget it too.
  IF TG_OP = 'UPDATE' AND (old_key IS DISTINCT FROM new_key OR old_tenant IS DISTINCT FROM new_tenant) THEN
    PERFORM pg_notify('switchboard_changes', switchboard_change_payload(TG_TABLE_NAME, op, old_tenant, old_key));
  END IF;
  RETURN NEW;
END;
$$;

-- TRUNCATE has no rows: tell listeners the whole table changed.
CREATE FUNCTION switchboard_notify_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('switchboard_changes', switchboard_change_payload(TG_TABLE_NAME, 'truncate', NULL, NULL));
  RETURN NULL;
END;
$$;

CREATE TRIGGER tenants_notify_change AFTER INSERT OR UPDATE OR DELETE ON tenants
  FOR EACH ROW EXECUTE FUNCTION switchboard_notify_change();
CREATE TRIGGER sip_accounts_notify_change AFTER INSERT OR UPDATE OR DELETE ON sip_accounts
  FOR EACH ROW EXECUTE FUNCTION switchboard_notify_change();
CREATE TRIGGER extension_call_settings_notify_change AFTER INSERT OR UPDATE OR DELETE ON extension_call_settings
  FOR EACH ROW EXECUTE FUNCTION switchboard_notify_change();
CREATE TRIGGER tenant_feature_codes_notify_change AFTER INSERT OR UPDATE OR DELETE ON tenant_feature_codes
  FOR EACH ROW EXECUTE FUNCTION switchboard_notify_change();
CREATE TRIGGER tenant_recording_settings_notify_change AFTER INSERT OR UPDATE OR DELETE ON tenant_recording_settings
  FOR EACH ROW EXECUTE FUNCTION switchboard_notify_change();
CREATE TRIGGER voicemail_boxes_notify_change AFTER INSERT OR UPDATE OR DELETE ON voicemail_boxes
  FOR EACH ROW EXECUTE FUNCTION switchboard_notify_change();

CREATE TRIGGER tenants_notify_truncate AFTER TRUNCATE ON tenants
  FOR EACH STATEMENT EXECUTE FUNCTION switchboard_notify_truncate();
CREATE TRIGGER sip_accounts_notify_truncate AFTER TRUNCATE ON sip_accounts
  FOR EACH STATEMENT EXECUTE FUNCTION switchboard_notify_truncate();
CREATE TRIGGER extension_call_settings_notify_truncate AFTER TRUNCATE ON extension_call_settings
  FOR EACH STATEMENT EXECUTE FUNCTION switchboard_notify_truncate();
CREATE TRIGGER tenant_feature_codes_notify_truncate AFTER TRUNCATE ON tenant_feature_codes
  FOR EACH STATEMENT EXECUTE FUNCTION switchboard_notify_truncate();
CREATE TRIGGER tenant_recording_settings_notify_truncate AFTER TRUNCATE ON tenant_recording_settings
  FOR EACH STATEMENT EXECUTE FUNCTION switchboard_notify_truncate();
CREATE TRIGGER voicemail_boxes_notify_truncate AFTER TRUNCATE ON voicemail_boxes
  FOR EACH STATEMENT EXECUTE FUNCTION switchboard_notify_truncate();
`,
};
