// What voicemail needs to keep: a mailbox per extension (PIN, greeting, e-mail), its messages
// and their audio files. The server implements it over @switchboard/db and DATA_DIR; tests in
// memory. Paths are absolute files the media endpoints read and write.

export interface Mailbox {
  readonly tenantId: string;
  readonly extension: string;
  readonly enabled: boolean;
  /** A PIN is set: the owner must enter it (`*97`), and `*98` may open the mailbox. */
  readonly hasPin: boolean;
  /** The owner's recorded greeting, when there is one. */
  readonly greetingFile: string | undefined;
  /** Where new messages are e-mailed (with the audio attached), when set. */
  readonly email: string | undefined;
  /** Longest message a caller may leave. */
  readonly maxMessageSeconds: number;
}

export type MessageFolder = 'new' | 'saved';

export interface VoicemailMessage {
  readonly id: string;
  readonly extension: string;
  /** The caller's number (extension) as presented. */
  readonly caller: string;
  readonly callerName: string;
  readonly file: string;
  readonly durationMs: number;
  readonly folder: MessageFolder;
  readonly createdAt: Date;
}

export interface NewVoicemailMessage {
  readonly id: string;
  readonly tenantId: string;
  readonly extension: string;
  readonly caller: string;
  readonly callerName: string;
  readonly file: string;
  readonly durationMs: number;
}

export interface MessageCounts {
  readonly newMessages: number;
  readonly oldMessages: number;
}

export interface VoicemailStore {
  /** The extension's mailbox (defaults when never set up); undefined for unknown extensions. */
  mailbox(tenantId: string, extension: string): Promise<Mailbox | undefined>;
  verifyPin(tenantId: string, extension: string, pin: string): Promise<boolean>;
  /** A new message's id and the file its audio goes to. */
  newMessageFile(tenantId: string, extension: string): { readonly id: string; readonly file: string };
  addMessage(message: NewVoicemailMessage): Promise<void>;
  /** Messages, new ones first, each folder oldest first. */
  messages(tenantId: string, extension: string): Promise<VoicemailMessage[]>;
  setFolder(tenantId: string, messageId: string, folder: MessageFolder): Promise<void>;
  /** Deletes the message and its file. */
  deleteMessage(tenantId: string, messageId: string): Promise<void>;
  counts(tenantId: string, extension: string): Promise<MessageCounts>;
  /** Where a greeting being recorded goes. */
  newGreetingFile(tenantId: string, extension: string): string;
  /** Makes a recorded greeting the mailbox's greeting (replacing the previous one). */
  setGreeting(tenantId: string, extension: string, file: string): Promise<void>;
  /** Deletes a file that is no message (a recording too short to keep). */
  discard(file: string): Promise<void>;
}

/** Told about every new message (e-mail with the audio attached). */
export interface VoicemailNotifier {
  newMessage(mailbox: Mailbox, message: VoicemailMessage): Promise<void>;
}
