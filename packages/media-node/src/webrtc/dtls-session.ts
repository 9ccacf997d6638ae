// DTLS-SRTP (RFC 5763, RFC 5764) through werift's DTLS 1.2 implementation: the handshake over
// our own datagram path (ICE demultiplexes, RFC 7983), the peer's certificate checked against
// the a=fingerprint of its SDP, and the SRTP master keys exported (RFC 5764 §4.2).
import { createHash, timingSafeEqual } from 'node:crypto';
import {
  CipherContext,
  DtlsClient,
  DtlsServer,
  HashAlgorithm,
  NamedCurveAlgorithm,
  SignatureAlgorithm,
  type DtlsSocket,
  type Transport,
} from 'werift';
import { masterLengths, SRTP_PROFILE_IDS, srtpProfileOf, type SrtpProfile } from './srtp-keys.ts';

/** Our certificate: one per process (its fingerprint goes into every SDP we send). */
export interface DtlsCertificate {
  readonly certPem: string;
  readonly keyPem: string;
  readonly signatureHash: { readonly hash: number; readonly signature: number };
  /** `sha-256` and upper-case hex pairs joined by colons (RFC 8122 §5). */
  readonly fingerprint: { readonly algorithm: string; readonly value: string };
}

export interface DtlsFingerprint {
  readonly algorithm: string;
  readonly value: string;
}

/** An ECDSA P-256 self-signed certificate (RFC 8827 §6.5: what browsers use and accept). */
export async function createDtlsCertificate(): Promise<DtlsCertificate> {
  const { certPem, keyPem, signatureHash } = await CipherContext.createSelfSignedCertificateWithKey(
    { signature: SignatureAlgorithm.ecdsa_3, hash: HashAlgorithm.sha256_4 },
    NamedCurveAlgorithm.secp256r1_23,
  );
  const der = Buffer.from(certPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return {
    certPem,
    keyPem,
    signatureHash: { hash: signatureHash.hash, signature: signatureHash.signature },
    fingerprint: { algorithm: 'sha-256', value: fingerprintOf(der, 'sha-256') ?? '' },
  };
}

const HASHES: Readonly<Record<string, string>> = {
  'sha-1': 'sha1',
  'sha-224': 'sha224',
  'sha-256': 'sha256',
  'sha-384': 'sha384',
  'sha-512': 'sha512',
};

function fingerprintOf(der: Uint8Array, algorithm: string): string | undefined {
  const hash = HASHES[algorithm.toLowerCase()];
  if (!hash) return undefined;
  return createHash(hash)
    .update(der)
    .digest('hex')
    .toUpperCase()
    .replace(/(..)(?!$)/g, '$1:');
}

/** True when `der` matches one of the SDP fingerprints with a hash we know (RFC 8122 §5). */
export function matchesFingerprint(der: Uint8Array, expected: readonly DtlsFingerprint[]): boolean {
  return expected.some((f) => {
    const actual = fingerprintOf(der, f.algorithm);
    if (actual === undefined) return false;
    const a = Buffer.from(actual);
    const b = Buffer.from(f.value.trim().toUpperCase());
    return a.length === b.length && timingSafeEqual(a, b);
  });
}

/** What DTLS-SRTP produced: the profile and both sides' master keys. */
export interface SrtpKeyMaterial {
  readonly profile: SrtpProfile;
  readonly localKey: Buffer;
  readonly localSalt: Buffer;
  readonly remoteKey: Buffer;
  readonly remoteSalt: Buffer;
}

export interface DtlsSessionDelegate {
  /** The handshake finished; the peer's certificate is in `remoteCertificate`. */
  onConnected(keys: SrtpKeyMaterial, remoteCertificate: Buffer): void;
  /** The peer sent an alert (close_notify on hang-up) or the handshake failed. */
  onClosed(reason: string): void;
}

/** Our side of one DTLS association: `server` when our SDP said passive (or actpass, answered active). */
export class DtlsSession {
  readonly role: 'server' | 'client';
  readonly #socket: DtlsSocket;
  readonly #transport: Transport;
  #done = false;

  constructor(
    role: 'server' | 'client',
    certificate: DtlsCertificate,
    send: (data: Buffer) => void,
    delegate: DtlsSessionDelegate,
  ) {
    this.role = role;
    const transport: Transport = {
      type: 'udp',
      address: { address: '', family: 'IPv4', port: 0 },
      closed: false,
      onData: () => undefined,
      send: async (data: Buffer) => send(data),
      close: async () => undefined,
    };
    this.#transport = transport;
    const options = {
      transport,
      cert: certificate.certPem,
      key: certificate.keyPem,
      signatureHash: certificate.signatureHash as never,
      // RFC 5764 §4.1.2: ours in preference order; GCM costs less CPU per packet.
      srtpProfiles: [SRTP_PROFILE_IDS.AEAD_AES_128_GCM, SRTP_PROFILE_IDS.AES_CM_128_HMAC_SHA1_80] as never[],
      extendedMasterSecret: true,
      // RFC 5763 §5: both sides present certificates, checked against the SDP fingerprints.
      certificateRequest: true,
    };
    this.#socket = role === 'server' ? new DtlsServer(options) : new DtlsClient(options);
    this.#socket.onConnect.subscribe(() => {
      if (this.#done) return;
      const profile = srtpProfileOf(this.#socket.srtp.srtpProfile);
      const remote = this.#socket.remoteCertificate;
      if (!profile || !remote) {
        this.#fail(profile ? 'the peer sent no certificate' : 'no common SRTP profile');
        return;
      }
      const { key, salt } = masterLengths(profile);
      const k = this.#socket.extractSessionKeys(key, salt);
      delegate.onConnected(
        {
          profile,
          localKey: k.localKey,
          localSalt: k.localSalt,
          remoteKey: k.remoteKey,
          remoteSalt: k.remoteSalt,
        },
        remote,
      );
    });
    this.#socket.onClose.subscribe(() => this.#fail('DTLS alert'));
    this.#socket.onError.subscribe((error: Error) => this.#fail(`DTLS handshake failed: ${error.message}`));
    this.#delegate = delegate;
  }

  readonly #delegate: DtlsSessionDelegate;

  #fail(reason: string): void {
    if (this.#done) return;
    this.#done = true;
    this.#delegate.onClosed(reason);
  }

  /** A DTLS record from the peer (first byte 20–63, RFC 7983). */
  handle(data: Buffer): void {
    if (!this.#done) this.#transport.onData(data, ['', 0] as never);
  }

  /** Client only: sends the ClientHello (once ICE has a pair to send it on). */
  connect(): void {
    if (this.#socket instanceof DtlsClient)
      this.#socket.connect().catch((error: unknown) => this.#fail(`DTLS connect failed: ${String(error)}`));
  }

  close(): void {
    this.#done = true;
    this.#socket.onConnect.allUnsubscribe?.();
  }
}
