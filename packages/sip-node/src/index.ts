// @switchboard/sip-node: the Node transports for @switchboard/sip (UDP, TCP, TLS, WS, WSS).
export { NodeTransport, TransportError, type ListenSpec, type ListeningPoint } from './node-transport.ts';
export type { NodeTransportOptions, TlsOptions } from './options.ts';
export type { TransportLogger, LogFields } from './logger.ts';
export { silentLogger } from './logger.ts';
export { TransportCounters, type TransportCounterName, type TransportCounterSnapshot } from './counters.ts';
export { SIP_SUBPROTOCOL, WebSocketAttachment, type WebSocketAttachOptions } from './websocket-listener.ts';
export { EventLoopLag } from './event-loop-lag.ts';
export { nodeDigestCrypto } from './node-digest-crypto.ts';
