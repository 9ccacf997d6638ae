// A SipTransport that records what it is asked to send, for unit tests of one state machine.
// It can be told to fail, synchronously or with a rejected promise, to exercise the
// transport-error paths of RFC 3261 §17.1.4 / §17.2.4.
import type { Destination, HostPort, SipRequest, SipResponse, SipTransport } from '@switchboard/sip';

export interface SentMessage {
  readonly message: SipRequest | SipResponse;
  readonly destination: Destination;
  /** `INVITE`, `ACK`, … for requests; the status code as a string for responses. */
  readonly label: string;
}

export class RecordingTransport implements SipTransport {
  readonly sent: SentMessage[] = [];
  /** When set, every send fails this way until cleared. */
  failure: 'throw' | 'reject' | undefined;

  constructor(readonly address: HostPort = { host: '192.0.2.1', port: 5060 }) {}

  send(message: SipRequest | SipResponse, destination: Destination): void | Promise<void> {
    const label =
      'method' in message ? (message as SipRequest).method : String((message as SipResponse).status);
    this.sent.push({ message, destination, label });
    if (this.failure === 'throw') throw new Error('send failed');
    if (this.failure === 'reject') return Promise.reject(new Error('send failed'));
  }

  localAddress(_destination: Destination): HostPort {
    return this.address;
  }

  /** Labels of everything sent, in order (`['INVITE', 'INVITE', 'ACK']`). */
  labels(): string[] {
    return this.sent.map((s) => s.label);
  }

  clear(): void {
    this.sent.length = 0;
  }
}
