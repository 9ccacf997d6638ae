// An ICE-lite agent (RFC 8445 §2.5, §6.1.1): it gathers only host candidates, never sends
// checks, takes the controlled role, and answers the full agent's checks. The pair it sends on
// is the one the controlling agent nominated (USE-CANDIDATE, §7.3.1.5), or before that the
// last one that passed a check. Later checks are consent freshness (RFC 7675): they keep the
// pair alive, and their absence tells a vanished browser.
import { randomBytes } from 'node:crypto';
import {
  errorCodeValue,
  serializeStun,
  StunAttr,
  StunType,
  xorAddressValue,
  type StunMessage,
  type TransportAddress,
} from './stun-message.ts';

const ICE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** RFC 8839 §5.4: ice-ufrag ≥ 4 and ice-pwd ≥ 22 characters of ice-char; we use 8 and 24. */
export function iceCredential(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ICE_CHARS[bytes[i]! & 63];
  return out;
}

export interface IceCheckResult {
  /** What to send back to `from` (a success or error response), if anything. */
  readonly response?: Uint8Array;
  /** True when this check moved the selected pair (nomination or the first valid check). */
  readonly selected?: boolean;
}

export class IceLiteAgent {
  readonly localUfrag: string;
  readonly localPwd: string;
  /** The remote's ufrag, once its SDP is known (checks are answered before that, §7.3.1.3). */
  remoteUfrag: string | undefined;
  /** Where media and DTLS go: the nominated pair's remote address. */
  selected: TransportAddress | undefined;
  nominated = false;
  /** When the last valid check arrived (ms, the caller's clock). */
  lastCheckMs = -Infinity;
  checks = 0;
  readonly #valid = new Set<string>();

  constructor(ufrag = iceCredential(8), pwd = iceCredential(24)) {
    this.localUfrag = ufrag;
    this.localPwd = pwd;
  }

  /** True when `from` passed a check: DTLS and SRTP are accepted only from such addresses. */
  isValid(from: TransportAddress): boolean {
    const s = this.selected;
    // The nominated pair first: every media packet asks, so spare it the string key.
    if (s !== undefined && s.port === from.port && s.address === from.address) return true;
    return this.#valid.has(`${from.address}|${from.port}`);
  }

  /** Answers one STUN message from `from` (RFC 8445 §7.3, RFC 8489 §6.3). */
  handle(message: StunMessage, from: TransportAddress, nowMs: number): IceCheckResult {
    if (message.type !== StunType.BindingRequest) return {}; // responses and indications: none expected
    const reject = (code: number, reason: string, integrity: boolean): IceCheckResult => ({
      response: serializeStun({
        type: StunType.BindingError,
        transactionId: message.transactionId,
        attributes: [{ type: StunAttr.ErrorCode, value: errorCodeValue(code, reason) }],
        ...(integrity ? { integrityKey: this.localPwd } : {}),
        fingerprint: true,
      }),
    });
    if (!message.verifyFingerprint()) return {}; // RFC 8445 §7.3: silently discard
    const username = message.username;
    if (username === undefined || !message.has(StunAttr.MessageIntegrity))
      return reject(400, 'Bad Request', false);
    // USERNAME is "<our ufrag>:<their ufrag>" (RFC 8445 §7.2.2).
    const colon = username.indexOf(':');
    const ours = colon < 0 ? username : username.slice(0, colon);
    const theirs = colon < 0 ? '' : username.slice(colon + 1);
    if (ours !== this.localUfrag || (this.remoteUfrag !== undefined && theirs !== this.remoteUfrag))
      return reject(401, 'Unauthorized', false);
    if (!message.verifyIntegrity(this.localPwd)) return reject(401, 'Unauthorized', false);
    // §7.3.1.1: a lite agent is always controlled; a peer that also claims controlled is told
    // of the conflict so it switches to controlling.
    if (message.has(StunAttr.IceControlled)) return reject(487, 'Role Conflict', true);

    this.#valid.add(`${from.address}|${from.port}`);
    this.lastCheckMs = nowMs;
    this.checks++;
    let selected = false;
    const nominate = message.has(StunAttr.UseCandidate);
    if (nominate || !this.nominated) {
      const changed =
        !this.selected || this.selected.address !== from.address || this.selected.port !== from.port;
      if (changed || (nominate && !this.nominated)) selected = true;
      this.selected = { address: from.address, port: from.port };
      if (nominate) this.nominated = true;
    }
    return {
      response: serializeStun({
        type: StunType.BindingSuccess,
        transactionId: message.transactionId,
        attributes: [
          { type: StunAttr.XorMappedAddress, value: xorAddressValue(from, message.transactionId) },
        ],
        integrityKey: this.localPwd,
        fingerprint: true,
      }),
      selected,
    };
  }
}
