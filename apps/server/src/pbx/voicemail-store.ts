// Voicemail's store over the database (mailboxes, messages) and DATA_DIR (their audio), and the
// e-mail sent for a new message (the mailer: SMTP or the built-in outbox) with the WAV attached.
import { readFile } from 'node:fs/promises';
import type { Mailer } from '@switchboard/api';
import type { Repositories } from '@switchboard/db';
import type {
  Mailbox,
  MessageCounts,
  MessageFolder,
  NewVoicemailMessage,
  VoicemailMessage,
  VoicemailNotifier,
  VoicemailStore,
} from '@switchboard/pbx';
import type { MediaFiles } from './media-files.ts';

export class DbVoicemailStore implements VoicemailStore {
  constructor(
    private readonly repos: Pick<Repositories, 'voicemail'>,
    private readonly files: MediaFiles,
  ) {}

  async mailbox(tenantId: string, extension: string): Promise<Mailbox | undefined> {
    const row = await this.repos.voicemail.mailbox(tenantId, extension);
    if (!row) return undefined;
    const greeting = row.greetingFile === null ? undefined : this.files.absolute(row.greetingFile);
    return {
      tenantId,
      extension,
      enabled: row.enabled,
      hasPin: row.hasPin,
      greetingFile: greeting,
      email: row.email ?? undefined,
      maxMessageSeconds: row.maxMessageSeconds,
    };
  }

  verifyPin(tenantId: string, extension: string, pin: string): Promise<boolean> {
    return this.repos.voicemail.verifyPin(tenantId, extension, pin);
  }

  newMessageFile(tenantId: string, extension: string): { id: string; file: string } {
    return this.files.voicemailMessage(tenantId, extension);
  }

  async addMessage(message: NewVoicemailMessage): Promise<void> {
    await this.repos.voicemail.addMessage({ ...message, file: this.files.stored(message.file) });
  }

  async messages(tenantId: string, extension: string): Promise<VoicemailMessage[]> {
    const rows = await this.repos.voicemail.messages(tenantId, extension);
    return rows.flatMap((m) => {
      const file = this.files.absolute(m.file);
      return file ? [{ ...m, file }] : [];
    });
  }

  async setFolder(tenantId: string, messageId: string, folder: MessageFolder): Promise<void> {
    await this.repos.voicemail.setFolder(tenantId, messageId, folder);
  }

  async deleteMessage(tenantId: string, messageId: string): Promise<void> {
    const file = await this.repos.voicemail.deleteMessage(tenantId, messageId);
    if (file) await this.files.remove(file);
  }

  counts(tenantId: string, extension: string): Promise<MessageCounts> {
    return this.repos.voicemail.counts(tenantId, extension);
  }

  newGreetingFile(tenantId: string, extension: string): string {
    return this.files.greeting(tenantId, extension);
  }

  async setGreeting(tenantId: string, extension: string, file: string): Promise<void> {
    const before = await this.repos.voicemail.mailbox(tenantId, extension);
    await this.repos.voicemail.update(tenantId, extension, { greetingFile: this.files.stored(file) });
    if (before?.greetingFile) await this.files.remove(before.greetingFile);
  }

  async discard(file: string): Promise<void> {
    await this.files.remove(this.files.stored(file));
  }
}

/** E-mails each new message, with its audio, to the mailbox's address. */
export class VoicemailMailer implements VoicemailNotifier {
  constructor(private readonly mailer: Mailer) {}

  async newMessage(mailbox: Mailbox, message: VoicemailMessage): Promise<void> {
    if (!mailbox.email) return;
    const seconds = Math.round(message.durationMs / 1000);
    const from = message.callerName ? `${message.callerName} (${message.caller})` : message.caller;
    await this.mailer.send({
      tenantId: mailbox.tenantId,
      to: mailbox.email,
      subject: `New voicemail from ${from} (${seconds} s)`,
      text: [
        `You have a new voicemail message in mailbox ${mailbox.extension}.`,
        '',
        `From: ${from}`,
        `Received: ${message.createdAt.toISOString()}`,
        `Length: ${seconds} s`,
        '',
        'The recording is attached. Dial *97 from your phone to listen to your messages.',
      ].join('\n'),
      attachments: [
        {
          filename: `voicemail-${message.createdAt.toISOString().replace(/[:.]/g, '-')}.wav`,
          contentType: 'audio/wav',
          content: new Uint8Array(await readFile(message.file)),
        },
      ],
    });
  }
}
