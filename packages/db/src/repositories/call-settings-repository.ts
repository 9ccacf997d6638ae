// Per-extension call settings of the built-in PBX: Do Not Disturb and call forwarding (issue 7).
// No row means the defaults; the first change creates the row (an upsert).
import type { Sql, SqlRow } from '../sql.ts';
import { NotFoundError } from '../errors.ts';
import { assertValid, type Check } from '../validation.ts';

export interface CallSettings {
  /** Do Not Disturb: incoming calls are refused; outgoing calls still work. */
  readonly dnd: boolean;
  /** Forward every call to this number (unconditional); null = off. */
  readonly forwardAlways: string | null;
  /** Forward when every device is busy. */
  readonly forwardBusy: string | null;
  /** Forward when nobody answers within `noAnswerSeconds`. */
  readonly forwardNoAnswer: string | null;
  /** Forward when no device is registered. */
  readonly forwardUnavailable: string | null;
  /** Ring time before no-answer forwarding (5–120 s). */
  readonly noAnswerSeconds: number;
}

export type CallSettingsPatch = Partial<CallSettings>;

export const DEFAULT_CALL_SETTINGS: CallSettings = Object.freeze({
  dnd: false,
  forwardAlways: null,
  forwardBusy: null,
  forwardNoAnswer: null,
  forwardUnavailable: null,
  noAnswerSeconds: 20,
});

/** A forwarding target as dialled: digits, `*`, `#`, a leading `+`. */
const TARGET = /^[0-9*#+]{1,32}$/;
const FORWARDS = ['forwardAlways', 'forwardBusy', 'forwardNoAnswer', 'forwardUnavailable'] as const;

function check(patch: CallSettingsPatch): Check[] {
  return [
    ...FORWARDS.map((field): Check => {
      const value = patch[field];
      return value === undefined || value === null || TARGET.test(value)
        ? undefined
        : { field, message: 'expected a number: 1-32 digits, * or # (or null to switch it off)' };
    }),
    patch.noAnswerSeconds === undefined ||
    (Number.isInteger(patch.noAnswerSeconds) && patch.noAnswerSeconds >= 5 && patch.noAnswerSeconds <= 120)
      ? undefined
      : { field: 'noAnswerSeconds', message: 'expected a whole number of seconds, 5-120' },
  ];
}

function toSettings(row: SqlRow | undefined): CallSettings {
  if (!row || row.dnd === null || row.dnd === undefined) return DEFAULT_CALL_SETTINGS;
  const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
  return {
    dnd: row.dnd === true,
    forwardAlways: text(row.forward_always),
    forwardBusy: text(row.forward_busy),
    forwardNoAnswer: text(row.forward_no_answer),
    forwardUnavailable: text(row.forward_unavailable),
    noAnswerSeconds: Number(row.no_answer_seconds),
  };
}

const SETTINGS =
  's.dnd, s.forward_always, s.forward_busy, s.forward_no_answer, s.forward_unavailable, s.no_answer_seconds';

export class CallSettingsRepository {
  constructor(private readonly sql: Sql) {}

  /** The settings of a SIP account of the tenant (defaults when never changed). */
  async get(tenantId: string, accountId: string): Promise<CallSettings> {
    const { rows } = await this.sql.query(
      `SELECT a.id, ${SETTINGS} FROM sip_accounts a
       LEFT JOIN extension_call_settings s ON s.account_id = a.id
       WHERE a.tenant_id = $1 AND a.id = $2`,
      [tenantId, accountId],
    );
    if (!rows[0]) throw new NotFoundError('SIP account');
    return toSettings(rows[0]);
  }

  /** The settings of an extension (built-in PBX account) by number; undefined if none exists. */
  async findForExtension(tenantId: string, username: string): Promise<CallSettings | undefined> {
    const { rows } = await this.sql.query(
      `SELECT a.id, ${SETTINGS}
       FROM sip_accounts a JOIN providers p ON p.id = a.provider_id AND p.kind = 'builtin'
       LEFT JOIN extension_call_settings s ON s.account_id = a.id
       WHERE a.tenant_id = $1 AND a.username = $2`,
      [tenantId, username],
    );
    return rows[0] ? toSettings(rows[0]) : undefined;
  }

  /** Changes some settings of an account; returns all of them. */
  async update(tenantId: string, accountId: string, patch: CallSettingsPatch): Promise<CallSettings> {
    assertValid(...check(patch));
    return this.sql.transaction(async (tx) => {
      const current = await new CallSettingsRepository(tx).get(tenantId, accountId);
      const next: CallSettings = { ...current, ...definedOnly(patch) };
      await tx.query(
        `INSERT INTO extension_call_settings (account_id, tenant_id, dnd, forward_always, forward_busy,
           forward_no_answer, forward_unavailable, no_answer_seconds)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (account_id) DO UPDATE SET dnd = $3, forward_always = $4, forward_busy = $5,
           forward_no_answer = $6, forward_unavailable = $7, no_answer_seconds = $8, updated_at = now()`,
        [
          accountId,
          tenantId,
          next.dnd,
          next.forwardAlways,
          next.forwardBusy,
          next.forwardNoAnswer,
          next.forwardUnavailable,
          next.noAnswerSeconds,
        ],
      );
      return next;
    });
  }

  /** Changes the settings of an extension by number (feature codes dialled on a phone). */
  async updateForExtension(
    tenantId: string,
    username: string,
    patch: CallSettingsPatch,
  ): Promise<CallSettings | undefined> {
    const { rows } = await this.sql.query<{ id: string }>(
      `SELECT a.id FROM sip_accounts a JOIN providers p ON p.id = a.provider_id AND p.kind = 'builtin'
       WHERE a.tenant_id = $1 AND a.username = $2`,
      [tenantId, username],
    );
    const id = rows[0]?.id;
    return id === undefined ? undefined : this.update(tenantId, id, patch);
  }
}

function definedOnly(patch: CallSettingsPatch): CallSettingsPatch {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
}
