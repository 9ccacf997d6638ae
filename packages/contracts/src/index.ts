// @switchboard/contracts: the API's request/response schemas and types, the error catalogue,
// the live-channel messages and the dialing rules, shared by the API and the web apps. Sans-I/O.
export * from './errors.ts';
export * from './dialing-rules.ts';
export * from './live.ts';
export * from './schemas/common.ts';
export * from './schemas/auth.ts';
export * from './schemas/providers.ts';
export * from './schemas/contacts.ts';
export * from './schemas/devices.ts';
export * from './schemas/provisioning.ts';
export * from './schemas/audit.ts';
export * from './schemas/call-features.ts';
export * from './schemas/trunks.ts';
export * from './schemas/device-services.ts';
