import { describe, expect, it } from 'vitest';
import { parseMessageSummary } from './mwi-subscription.ts';

describe('message-summary bodies (RFC 3842 §5.2)', () => {
  it('reads the voice message counts', () => {
    expect(
      parseMessageSummary(
        'Messages-Waiting: yes\r\nMessage-Account: sip:1001@acme.example\r\nVoice-Message: 2/8 (0/2)\r\n',
      ),
    ).toEqual({ newMessages: 2, oldMessages: 8 });
    expect(parseMessageSummary('Messages-Waiting: no\r\nvoice-message:0/1\r\n')).toEqual({
      newMessages: 0,
      oldMessages: 1,
    });
    expect(parseMessageSummary('Messages-Waiting: no\r\n')).toBeUndefined();
  });
});
