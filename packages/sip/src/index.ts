// @switchboard/sip — the SIP core, sans-I/O. Each area adds its exports below.

// Message layer (message/, uri/, header/)
export * from './message/contract.ts';
export * from './message/headers.ts';
export * from './message/sip-message.ts';
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
