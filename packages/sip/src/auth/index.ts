// Digest authentication for SIP (RFC 2617, RFC 7616, RFC 8760): header syntax, the server side
// (challenge, verify, replay protection) and the client side (answer 401/407, stop loops).

export type { AuthItem, AuthParam, AuthResult } from './auth-params.ts';
export {
  parseAuthHeaderRows,
  parseAuthItems,
  parseAuthParamList,
  serializeAuthItem,
  serializeAuthParams,
} from './auth-params.ts';
export type {
  DigestAlgorithm,
  DigestHasher,
  DigestHashName,
  DigestQop,
  DigestResponseInput,
} from './digest-algorithm.ts';
export type { HmacSha256 } from './stateless-nonce.ts';
export { hmacSha256 } from './stateless-nonce.ts';
export {
  computeDigestResponse,
  computeHa1,
  computeRspauth,
  digestHash,
  formatNonceCount,
  parseDigestAlgorithm,
  parseNonceCount,
} from './digest-algorithm.ts';
export type {
  AuthenticationInfo,
  DigestChallenge,
  DigestChallengeInit,
  DigestCredentials,
  DigestCredentialsInit,
  ParsedChallenges,
} from './digest-header.ts';
export {
  parseAuthenticationInfo,
  parseChallengeRows,
  parseDigestCredentials,
  serializeAuthenticationInfo,
  serializeDigestChallenge,
  serializeDigestCredentials,
} from './digest-header.ts';
export type { AnswerableChallenge, DigestAnswerInput } from './digest-answer.ts';
export { answerChallenge, answerChallengeHeader, chooseChallenges } from './digest-answer.ts';
export type {
  AuthClock,
  DigestCrypto,
  DigestFailureReason,
  DigestSecret,
  DigestSecretLookup,
  DigestServerOptions,
  DigestVerifyRequest,
  DigestVerifyResult,
  RandomBytes,
} from './digest-server-types.ts';
export type { ChallengeOptions } from './digest-server.ts';
export { DigestServer } from './digest-server.ts';
export type {
  AuthorizationHeaderName,
  AuthorizationSet,
  AuthorizeInput,
  ChallengeInput,
  ChallengeVerdict,
  DigestClientOptions,
  DigestUserCredentials,
} from './digest-client.ts';
export { DigestClient } from './digest-client.ts';
export type {
  InMemoryNonceCountStoreOptions,
  NonceCountClaim,
  NonceCountStore,
  NonceCountVerdict,
} from './nonce-count-store.ts';
export { InMemoryNonceCountStore } from './nonce-count-store.ts';
export { constantTimeEqual } from './constant-time.ts';
