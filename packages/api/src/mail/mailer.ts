// Where the API's e-mail goes. The server wires SMTP (nodemailer) when SMTP_URL is set, else the
// built-in outbox (OutboxMailer) that the portal shows.

export interface MailAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Uint8Array;
  /** Content-ID for inline images referenced as `cid:<cid>` in the HTML. */
  readonly cid?: string;
}

export interface MailMessage {
  /** The organisation the mail belongs to (null: none yet). */
  readonly tenantId: string | null;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  readonly attachments?: readonly MailAttachment[];
}

export interface Mailer {
  /** Where mail goes, for the portal ("smtp" or "outbox"). */
  readonly kind: 'smtp' | 'outbox';
  /** Delivers or stores the message; throws when the SMTP server refuses it. */
  send(message: MailMessage): Promise<void>;
}
