// The organisation's support address: where its end users' softphones send "Get help" e-mails
// (the device configuration carries it). NULL: the organisation's owner answers.
import type { Migration } from './migration.ts';

export const migration0008: Migration = {
  version: 8,
  name: 'support-email',
  sql: /* sql */ `
ALTER TABLE tenants ADD COLUMN support_email text CHECK (length(support_email) BETWEEN 3 AND 254);
`,
};
