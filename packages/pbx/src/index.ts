// @switchboard/pbx — registrar, routing, call sessions (B2BUA). Depends on @switchboard/sip and
// @switchboard/media, and on the interfaces it declares here (stores, directory, media, CDRs).
export * from './registrar/binding.ts';
export * from './registrar/location-store.ts';
export * from './registrar/registrar-options.ts';
export * from './registrar/registrar.ts';
export * from './routing/request-source.ts';
export * from './routing/tenant-resolver.ts';
export * from './store/directory.ts';
export * from './events/pbx-events.ts';
export * from './call/call-record.ts';
export * from './pbx.ts';
export * from './call/media-port.ts';
export * from './call/call-options.ts';
export * from './call/call-admission.ts';
export * from './call/call-outcome.ts';
export * from './call/call-session.ts';
export * from './call/call-manager.ts';
export * from './registrar/binding-maintenance.ts';
// Call features (issue 7): hold with music, transfers, DND, forwarding, feature codes.
export * from './features/answered-call.ts';
export * from './features/call-settings.ts';
export * from './features/call-features.ts';
export * from './features/feature-codes.ts';
export * from './features/forwarding.ts';
export { defaultMusicOnHold, ringback, confirmationBeeps, errorBeeps } from './features/tones.ts';
