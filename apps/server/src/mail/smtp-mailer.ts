// Mail over SMTP with nodemailer. SMTP_URL is nodemailer's URL form (smtp://user:pass@host:587,
// smtps://host:465); an optional `from` query parameter sets the sender
// (smtp://host:25?from=Switchboard%20%3Cpbx%40example.com%3E).
import nodemailer from 'nodemailer';
import type { Mailer, MailMessage } from '@switchboard/api';

export interface SmtpMailer extends Mailer {
  close(): void;
}

export function createSmtpMailer(smtpUrl: string): SmtpMailer {
  const url = new URL(smtpUrl);
  const from = url.searchParams.get('from') ?? `Switchboard <no-reply@${url.hostname || 'localhost'}>`;
  url.searchParams.delete('from');
  const transport = nodemailer.createTransport(url.toString());
  return {
    kind: 'smtp',
    async send(message: MailMessage): Promise<void> {
      await transport.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html !== undefined ? { html: message.html } : {}),
        attachments: (message.attachments ?? []).map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: Buffer.from(a.content),
          ...(a.cid ? { cid: a.cid } : {}),
        })),
      });
    },
    close: () => transport.close(),
  };
}
