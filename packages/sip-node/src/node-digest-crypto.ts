// Node's native hashes for DigestServer (DigestServerOptions.crypto): the registrar and the
// B2BUA compute four MD5s per authenticated request, and OpenSSL's one-shot `crypto.hash` is
// several times faster than the pure-JS default (which the browser build keeps). HMAC stays on
// the default: its keyed state is reused per secret, which beats creating a native HMAC per call.
import { hash } from 'node:crypto';
import type { DigestCrypto, DigestHashName } from '@switchboard/sip';

const OPENSSL_NAMES: Record<DigestHashName, string> = {
  MD5: 'md5',
  'SHA-256': 'sha256',
  'SHA-512-256': 'sha512-256',
};

export const nodeDigestCrypto: DigestCrypto = {
  hash: (name, data) => hash(OPENSSL_NAMES[name], data, 'hex'),
};
