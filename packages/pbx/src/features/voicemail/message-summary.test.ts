import { describe, expect, it } from 'vitest';
import { messageSummary, parseMessageSummary } from './message-summary.ts';

describe('RFC 3842 message-summary bodies', () => {
  it('says yes with new messages, no without, and reads back', () => {
    const body = messageSummary('sip:1002@acme.example', { newMessages: 2, oldMessages: 8 });
    expect(body).toBe(
      'Messages-Waiting: yes\r\nMessage-Account: sip:1002@acme.example\r\nVoice-Message: 2/8 (0/0)\r\n',
    );
    expect(parseMessageSummary(body)).toEqual({
      waiting: true,
      account: 'sip:1002@acme.example',
      counts: { newMessages: 2, oldMessages: 8 },
    });
    const none = messageSummary('sip:1002@acme.example', { newMessages: 0, oldMessages: 1 });
    expect(none).toMatch(/^Messages-Waiting: no\r\n/);
    expect(parseMessageSummary(none)?.counts).toEqual({ newMessages: 0, oldMessages: 1 });
  });

  it('reads what phones and other servers send (RFC 3842 §5.2 example, LF line ends)', () => {
    const parsed = parseMessageSummary(
      'Messages-Waiting: yes\nMessage-Account: sip:alice@vmail.example.com\nVoice-Message: 4/8 (1/2)\n',
    );
    expect(parsed).toEqual({
      waiting: true,
      account: 'sip:alice@vmail.example.com',
      counts: { newMessages: 4, oldMessages: 8 },
    });
    expect(parseMessageSummary('Messages-Waiting: no\r\n')).toBeUndefined();
  });
});
