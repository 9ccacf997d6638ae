// Voicemail of the built-in PBX (issue 7): a mailbox per extension (voicemail on/off, PIN,
// greeting, e-mail, maximum message length) and its messages. PINs are stored as scrypt hashes.
// Files are relative to DATA_DIR.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Sql, SqlRow } from '../sql.ts';
import { assertValid, checkText, type Check } from '../validation.ts';
import { asDate, asDateOrNull, asStringOrNull } from './row.ts';

export interface MailboxRow {
  readonly accountId: string;
  readonly tenantId: string;
  readonly extension: string;
  readonly enabled: boolean;
  readonly hasPin: boolean;
  readonly greetingFile: string | null;
  readonly email: string | null;
  readonly maxMessageSeconds: number;
}

export interface MailboxPatch {
  readonly enabled?: boolean;
  /** 4-12 digits, or null to remove the PIN. */
  readonly pin?: string | null;
  readonly greetingFile?: string | null;
  readonly email?: string | null;
  readonly maxMessageSeconds?: number;
}

export type MessageFolder = 'new' | 'saved';

export interface VoicemailMessageRow {
  readonly id: string;
  readonly tenantId: string;
  readonly extension: string;
  readonly caller: string;
  readonly callerName: string;
  readonly file: string;
  readonly durationMs: number;
  readonly folder: MessageFolder;
  readonly createdAt: Date;
  readonly heardAt: Date | null;
}

export interface NewVoicemailMessageRow {
  readonly id: string;
  readonly tenantId: string;
  readonly extension: string;
  readonly caller: string;
  readonly callerName: string;
  readonly file: string;
  readonly durationMs: number;
}

const PIN = /^[0-9]{4,12}$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

export function hashPin(pin: string): string {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('hex')}$${scryptSync(pin, salt, 32).toString('hex')}`;
}

function pinMatches(stored: string, pin: string): boolean {
  const [kind, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'hex');
  const actual = scryptSync(pin, Buffer.from(salt, 'hex'), expected.length);
  return timingSafeEqual(expected, actual);
}

const ACCOUNT = `FROM sip_accounts a JOIN providers p ON p.id = a.provider_id AND p.kind = 'builtin'`;
const MESSAGE_COLUMNS =
  'm.id, m.tenant_id, a.username, m.caller, m.caller_name, m.file, m.duration_ms, m.folder, m.created_at, m.heard_at';

function toMessage(row: SqlRow): VoicemailMessageRow {
  return {
    id: String(row.id),
    tenantId: String(row.tenant_id),
    extension: String(row.username),
    caller: String(row.caller),
    callerName: String(row.caller_name),
    file: String(row.file),
    durationMs: Number(row.duration_ms),
    folder: row.folder as MessageFolder,
    createdAt: asDate(row.created_at),
    heardAt: asDateOrNull(row.heard_at),
  };
}

export class VoicemailRepository {
  constructor(private readonly sql: Sql) {}

  /** The extension's mailbox (defaults without a row); undefined for unknown extensions. */
  async mailbox(tenantId: string, extension: string): Promise<MailboxRow | undefined> {
    const { rows } = await this.sql.query(
      `SELECT a.id, a.tenant_id, a.username, b.enabled, b.pin_hash, b.greeting_file, b.email, b.max_message_seconds
       ${ACCOUNT} LEFT JOIN voicemail_boxes b ON b.account_id = a.id
       WHERE a.tenant_id = $1 AND a.username = $2`,
      [tenantId, extension],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      accountId: String(row.id),
      tenantId: String(row.tenant_id),
      extension: String(row.username),
      enabled: row.enabled === true,
      hasPin: row.pin_hash !== null && row.pin_hash !== undefined,
      greetingFile: asStringOrNull(row.greeting_file),
      email: asStringOrNull(row.email),
      maxMessageSeconds:
        row.max_message_seconds === null || row.max_message_seconds === undefined
          ? 180
          : Number(row.max_message_seconds),
    };
  }

  /** Changes a mailbox; returns it (undefined for unknown extensions). */
  async update(tenantId: string, extension: string, patch: MailboxPatch): Promise<MailboxRow | undefined> {
    assertValid(...checkPatch(patch));
    return this.sql.transaction(async (tx) => {
      const repo = new VoicemailRepository(tx);
      const current = await repo.mailbox(tenantId, extension);
      if (!current) return undefined;
      const { rows } = await tx.query<{ pin_hash: string | null }>(
        'SELECT pin_hash FROM voicemail_boxes WHERE account_id = $1',
        [current.accountId],
      );
      const pinHash =
        patch.pin === undefined
          ? (rows[0]?.pin_hash ?? null)
          : patch.pin === null
            ? null
            : hashPin(patch.pin);
      await tx.query(
        `INSERT INTO voicemail_boxes (account_id, tenant_id, enabled, pin_hash, greeting_file, email, max_message_seconds)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (account_id) DO UPDATE SET enabled = $3, pin_hash = $4, greeting_file = $5, email = $6,
           max_message_seconds = $7, updated_at = now()`,
        [
          current.accountId,
          tenantId,
          patch.enabled ?? current.enabled,
          pinHash,
          patch.greetingFile === undefined ? current.greetingFile : patch.greetingFile,
          patch.email === undefined ? current.email : patch.email,
          patch.maxMessageSeconds ?? current.maxMessageSeconds,
        ],
      );
      return repo.mailbox(tenantId, extension);
    });
  }

  async verifyPin(tenantId: string, extension: string, pin: string): Promise<boolean> {
    if (!PIN.test(pin)) return false;
    const { rows } = await this.sql.query<{ pin_hash: string | null }>(
      `SELECT b.pin_hash ${ACCOUNT} JOIN voicemail_boxes b ON b.account_id = a.id
       WHERE a.tenant_id = $1 AND a.username = $2`,
      [tenantId, extension],
    );
    const stored = rows[0]?.pin_hash;
    return typeof stored === 'string' && pinMatches(stored, pin);
  }

  async addMessage(message: NewVoicemailMessageRow): Promise<VoicemailMessageRow> {
    assertValid(
      checkText('caller', message.caller, 0, 255),
      checkText('callerName', message.callerName, 0, 255),
      checkText('file', message.file, 1, 500),
    );
    const { rowCount } = await this.sql.query(
      `INSERT INTO voicemail_messages (id, tenant_id, account_id, caller, caller_name, file, duration_ms)
       SELECT $1, $2, a.id, $4, $5, $6, $7 ${ACCOUNT} WHERE a.tenant_id = $2 AND a.username = $3`,
      [
        message.id,
        message.tenantId,
        message.extension,
        message.caller,
        message.callerName,
        message.file,
        Math.max(0, Math.round(message.durationMs)),
      ],
    );
    if (rowCount === 0) throw new Error(`no extension ${message.extension} for a voicemail message`);
    return (await this.message(message.tenantId, message.id))!;
  }

  async message(tenantId: string, id: string): Promise<VoicemailMessageRow | undefined> {
    const { rows } = await this.sql.query(
      `SELECT ${MESSAGE_COLUMNS} FROM voicemail_messages m JOIN sip_accounts a ON a.id = m.account_id
       WHERE m.tenant_id = $1 AND m.id = $2`,
      [tenantId, id],
    );
    return rows[0] ? toMessage(rows[0]) : undefined;
  }

  /** New messages first, each folder oldest first. */
  async messages(tenantId: string, extension: string): Promise<VoicemailMessageRow[]> {
    const { rows } = await this.sql.query(
      `SELECT ${MESSAGE_COLUMNS} FROM voicemail_messages m JOIN sip_accounts a ON a.id = m.account_id
       WHERE m.tenant_id = $1 AND a.username = $2
       ORDER BY (m.folder = 'new') DESC, m.created_at, m.id`,
      [tenantId, extension],
    );
    return rows.map(toMessage);
  }

  async setFolder(tenantId: string, id: string, folder: MessageFolder): Promise<boolean> {
    const { rowCount } = await this.sql.query(
      `UPDATE voicemail_messages SET folder = $3, heard_at = COALESCE(heard_at, CASE WHEN $3 = 'saved' THEN now() END)
       WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id, folder],
    );
    return rowCount > 0;
  }

  /** Deletes a message; returns its file (to delete too), or undefined if there was none. */
  async deleteMessage(tenantId: string, id: string): Promise<string | undefined> {
    const { rows } = await this.sql.query<{ file: string }>(
      'DELETE FROM voicemail_messages WHERE tenant_id = $1 AND id = $2 RETURNING file',
      [tenantId, id],
    );
    return rows[0]?.file;
  }

  async counts(tenantId: string, extension: string): Promise<{ newMessages: number; oldMessages: number }> {
    const { rows } = await this.sql.query<{ new_messages: number; old_messages: number }>(
      `SELECT count(*) FILTER (WHERE m.folder = 'new')::int AS new_messages,
              count(*) FILTER (WHERE m.folder = 'saved')::int AS old_messages
       FROM voicemail_messages m JOIN sip_accounts a ON a.id = m.account_id
       WHERE m.tenant_id = $1 AND a.username = $2`,
      [tenantId, extension],
    );
    return { newMessages: rows[0]?.new_messages ?? 0, oldMessages: rows[0]?.old_messages ?? 0 };
  }
}

function checkPatch(patch: MailboxPatch): Check[] {
  return [
    patch.pin === undefined || patch.pin === null || PIN.test(patch.pin)
      ? undefined
      : { field: 'pin', message: 'expected 4-12 digits (or null to remove it)' },
    patch.email === undefined ||
    patch.email === null ||
    (EMAIL.test(patch.email) && patch.email.length <= 254)
      ? undefined
      : { field: 'email', message: 'expected an e-mail address (or null)' },
    patch.maxMessageSeconds === undefined ||
    (Number.isInteger(patch.maxMessageSeconds) &&
      patch.maxMessageSeconds >= 10 &&
      patch.maxMessageSeconds <= 3600)
      ? undefined
      : { field: 'maxMessageSeconds', message: 'expected whole seconds, 10-3600' },
    patch.greetingFile === undefined || patch.greetingFile === null
      ? undefined
      : checkText('greetingFile', patch.greetingFile, 1, 500),
  ];
}
