// @switchboard/sip — the SIP core, sans-I/O. Each area adds its exports below.

// Message layer (message/, uri/, header/)
export * from './message/contract.ts';
export * from './message/headers.ts';
export * from './message/sip-message.ts';
export * from './message/typed-headers.ts';
export * from './message/sip-request.ts';
export * from './message/sip-response.ts';
export * from './message/parse-message.ts';
export * from './message/stream-decoder.ts';
export * from './message/create-response.ts';
export * from './message/multipart.ts';
export * from './message/reason-phrases.ts';
export * from './uri/parse-uri.ts';
export * from './uri/sip-uri.ts';
export * from './uri/tel-uri.ts';
export * from './uri/absolute-uri.ts';
export * from './uri/uri-equals.ts';
export { escapeUri, unescapeUri } from './uri/escape.ts';
export { checkHost, isIPv4, isIPv6 } from './uri/host.ts';
export * from './header/header-names.ts';
export * from './header/parsed.ts';
export * from './header/params.ts';
export { splitList, quote, unquote } from './header/scan.ts';
export * from './header/name-addr.ts';
export * from './header/contact.ts';
export * from './header/via.ts';
export * from './header/cseq.ts';
export * from './header/media-type.ts';
export * from './header/numeric.ts';
export * from './auth/index.ts';

// Transport layer interface (transport/): framing, connection news; implemented by @switchboard/sip-node
export * from './transport/stream-framer.ts';
export * from './transport/connection-info.ts';
export * from './transport/transport-receiver.ts';

// begin switchboard-sip-core block (core/, transaction/, dialog/, ua/, nat/)
// Core services for the transaction layer and above (core/): clock, timers, transport types.
export * from './core/clock.ts';
export * from './core/timer-values.ts';
export * from './core/transport.ts';
export * from './core/random.ts';
export * from './core/logger.ts';
export * from './core/own-string.ts';

// Transactions (transaction/): RFC 3261 §17 with RFC 6026.
export * from './transaction/invite-client-transaction-state.ts';
export * from './transaction/non-invite-client-transaction-state.ts';
export * from './transaction/invite-server-transaction-state.ts';
export * from './transaction/non-invite-server-transaction-state.ts';
export * from './transaction/transaction-types.ts';
export * from './transaction/transaction-delegate.ts';
export * from './transaction/transaction-base.ts';
export * from './transaction/invite-client-transaction.ts';
export * from './transaction/non-invite-client-transaction.ts';
export * from './transaction/invite-server-transaction.ts';
export * from './transaction/non-invite-server-transaction.ts';
export * from './transaction/non-2xx-ack.ts';
export * from './transaction/transaction-key.ts';
export * from './transaction/transaction-layer.ts';

// NAT traversal helpers (nat/): RFC 3581 received/rport, response routing, Contact rewriting.
export * from './nat/received.ts';
export * from './nat/response-destination.ts';
export * from './nat/contact-rewrite.ts';

// Dialogs and INVITE sessions (dialog/): RFC 3261 §12–15, RFC 3311, RFC 4028.
export * from './dialog/dialog-state.ts';
export * from './dialog/dialog.ts';
export * from './dialog/dialog-handler.ts';
export * from './dialog/session-body.ts';
export * from './dialog/session-state.ts';
export * from './dialog/session-timer.ts';
export * from './dialog/session-host.ts';
export * from './dialog/incoming-reinvite.ts';
export * from './dialog/retransmitter.ts';
export * from './dialog/invite-acks.ts';
export * from './dialog/session.ts';

// The UA core (ua/): UserAgent, calls in and out, requests, digest retry hook, RFC 3262.
export * from './ua/authenticator.ts';
export * from './ua/next-hop.ts';
export * from './ua/dialog-destination.ts';
export * from './ua/request-factory.ts';
export * from './ua/local-identity.ts';
export * from './ua/outgoing-request.ts';
export * from './ua/incoming-request.ts';
export * from './ua/cancel.ts';
export * from './ua/reliable-provisional.ts';
export * from './ua/invite-host.ts';
export * from './ua/incoming-invite.ts';
export * from './ua/outgoing-invite.ts';
export * from './ua/user-agent-options.ts';
export * from './ua/user-agent.ts';
export * from './ua/overload-guard.ts';
// end switchboard-sip-core block

// SDP and audio offer/answer (sdp/): RFC 4566/8866, RFC 3264, RFC 4568, ICE/DTLS attributes.
export * from './sdp/index.ts';
