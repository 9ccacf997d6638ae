// The body of an RFC 3842 message-summary NOTIFY (application/simple-message-summary):
//
//   Messages-Waiting: yes
//   Message-Account: sip:1001@acme.example
//   Voice-Message: 2/8 (0/0)
//
// RFC 3842 §5.2: "Messages-Waiting" is yes when there are new messages; each message-context
// line gives new/old counts, and in parentheses new/old urgent ones (we have no urgent ones).
import type { MessageCounts } from './voicemail-store.ts';

export const MESSAGE_SUMMARY_TYPE = 'application/simple-message-summary';

export function messageSummary(account: string, counts: MessageCounts): string {
  return [
    `Messages-Waiting: ${counts.newMessages > 0 ? 'yes' : 'no'}`,
    `Message-Account: ${account}`,
    `Voice-Message: ${counts.newMessages}/${counts.oldMessages} (0/0)`,
    '',
  ].join('\r\n');
}

/** Reads a message-summary body back (for tests and tools); undefined when it has no Voice-Message. */
export function parseMessageSummary(
  body: string,
): { waiting: boolean; account: string | undefined; counts: MessageCounts } | undefined {
  const field = (name: string): string | undefined =>
    new RegExp(`^${name}\\s*:\\s*(.*?)\\s*$`, 'im').exec(body)?.[1];
  const voice = /^(\d+)\/(\d+)/.exec(field('Voice-Message') ?? '');
  if (!voice) return undefined;
  return {
    waiting: field('Messages-Waiting')?.toLowerCase() === 'yes',
    account: field('Message-Account'),
    counts: { newMessages: Number(voice[1]), oldMessages: Number(voice[2]) },
  };
}
