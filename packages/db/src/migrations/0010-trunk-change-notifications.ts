// Change notifications for the SIP trunk tables (migration 0007): the running server keeps its
// trunks in memory (inbound matching runs for every INVITE) and registers at providers, and
// these triggers tell it when to read them again — whoever made the change: the API, the CLI
// through the embedded database's socket, or another node sharing one PostgreSQL. Same channel,
// payload and trigger functions as migration 0006:
//
//   NOTIFY switchboard_changes, '{"table":"trunk_dids","op":"insert","tenant_id":"…","key":"+442079460001"}'
//
// `key` is the trunk's id (trunks), the number (trunk_dids), none (trunk_outbound_routes and
// tenant_trunk_policy: read per tenant, so "the tenant's rows"). switchboard_change_key is
// replaced by the same function with the trunk tables added (0006's cases unchanged).
// See docs/database.md, "Change notifications", and docs/trunks.md.
import type { Migration } from './migration.ts';

export const migration0010: Migration = {
  version: 10,
  name: 'trunk-change-notifications',
  sql: /* sql */ `
CREATE OR REPLACE FUNCTION switchboard_change_key(tbl text, row_json jsonb) RETURNS text LANGUAGE plpgsql STABLE AS $$
BEGIN
  CASE tbl
    WHEN 'tenants' THEN RETURN row_json->>'sip_domain';
    WHEN 'sip_accounts' THEN RETURN row_json->>'username';
    WHEN 'tenant_feature_codes' THEN RETURN row_json->>'feature';
    WHEN 'extension_call_settings', 'voicemail_boxes' THEN
      RETURN (SELECT username FROM sip_accounts WHERE id = (row_json->>'account_id')::uuid);
    WHEN 'trunks' THEN RETURN row_json->>'id';
    WHEN 'trunk_dids' THEN RETURN row_json->>'number';
    ELSE RETURN NULL;
  END CASE;
END;
$$;

CREATE TRIGGER trunks_notify_change AFTER INSERT OR UPDATE OR DELETE ON trunks
  FOR EACH ROW EXECUTE FUNCTION switchboard_notify_change();
CREATE TRIGGER trunk_outbound_routes_notify_change AFTER INSERT OR UPDATE OR DELETE ON trunk_outbound_routes
  FOR EACH ROW EXECUTE FUNCTION switchboard_notify_change();
CREATE TRIGGER trunk_dids_notify_change AFTER INSERT OR UPDATE OR DELETE ON trunk_dids
  FOR EACH ROW EXECUTE FUNCTION switchboard_notify_change();
CREATE TRIGGER tenant_trunk_policy_notify_change AFTER INSERT OR UPDATE OR DELETE ON tenant_trunk_policy
  FOR EACH ROW EXECUTE FUNCTION switchboard_notify_change();

CREATE TRIGGER trunks_notify_truncate AFTER TRUNCATE ON trunks
  FOR EACH STATEMENT EXECUTE FUNCTION switchboard_notify_truncate();
CREATE TRIGGER trunk_outbound_routes_notify_truncate AFTER TRUNCATE ON trunk_outbound_routes
  FOR EACH STATEMENT EXECUTE FUNCTION switchboard_notify_truncate();
CREATE TRIGGER trunk_dids_notify_truncate AFTER TRUNCATE ON trunk_dids
  FOR EACH STATEMENT EXECUTE FUNCTION switchboard_notify_truncate();
CREATE TRIGGER tenant_trunk_policy_notify_truncate AFTER TRUNCATE ON tenant_trunk_policy
  FOR EACH STATEMENT EXECUTE FUNCTION switchboard_notify_truncate();
`,
};
