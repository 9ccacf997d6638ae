// The built-in outbox: mail is stored for the portal to show (no SMTP server configured).
// Inline images become data: URIs in the stored HTML, so the portal can render it as is.
import type { OutboxRepository } from '@switchboard/db';
import type { Mailer, MailMessage } from './mailer.ts';

const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

export class OutboxMailer implements Mailer {
  readonly kind = 'outbox' as const;

  constructor(private readonly outbox: Pick<OutboxRepository, 'add'>) {}

  async send(message: MailMessage): Promise<void> {
    const attachments = (message.attachments ?? []).map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      ...(a.cid ? { cid: a.cid } : {}),
      base64: toBase64(a.content),
    }));
    let html = message.html ?? null;
    for (const a of attachments) {
      if (html !== null && a.cid)
        html = html.replaceAll(`cid:${a.cid}`, `data:${a.contentType};base64,${a.base64}`);
    }
    await this.outbox.add({
      tenantId: message.tenantId,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html,
      attachments,
    });
  }
}
