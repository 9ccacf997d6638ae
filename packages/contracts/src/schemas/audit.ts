// The audit log and the mail outbox.
import { dateTime, nullable, object, pagingQuery, uuid } from './common.ts';

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  targetType: string;
  targetId: string | null;
  details: Record<string, unknown>;
}
export const auditEntrySchema = object(
  {
    id: { type: 'integer' },
    at: dateTime,
    actor: { type: 'string', description: 'E-mail of the user, "token NAME (e-mail)", or "cli".' },
    action: { type: 'string', description: 'e.g. provider.create, account.update, device.activation.reset' },
    targetType: { type: 'string' },
    targetId: nullable({ type: 'string' }),
    details: {
      type: 'object',
      additionalProperties: true,
      description: 'Changed fields and context; never secrets.',
    },
  },
  ['id', 'at', 'actor', 'action', 'targetType', 'targetId', 'details'],
);
export const listAuditQuery = object({
  ...pagingQuery,
  action: { type: 'string', maxLength: 100 },
  targetType: { type: 'string', maxLength: 50 },
  targetId: { type: 'string', maxLength: 100 },
});

export interface OutboxMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  createdAt: string;
}
export const outboxMailSchema = object(
  {
    id: uuid,
    to: { type: 'string' },
    subject: { type: 'string' },
    text: { type: 'string' },
    html: nullable({ type: 'string', description: 'Inline images are data: URIs here.' }),
    createdAt: dateTime,
  },
  ['id', 'to', 'subject', 'text', 'html', 'createdAt'],
);
export const listOutboxQuery = object({ ...pagingQuery, to: { type: 'string', maxLength: 254 } });
