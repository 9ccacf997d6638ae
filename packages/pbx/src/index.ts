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
export * from './features/music-on-hold.ts';
// The PBX's own applications: media endpoints, voicemail, conferences, call recording.
export * from './features/media-app/endpoint-port.ts';
export * from './features/media-app/app-context.ts';
export * from './features/media-app/app-call.ts';
export * from './features/media-app/pbx-apps.ts';
export * from './features/media-app/pbx-applications.ts';
export * from './features/voicemail/voicemail-store.ts';
export * from './features/voicemail/voicemail.ts';
export * from './features/voicemail/message-summary.ts';
export * from './features/voicemail/message-waiting.ts';
export * from './features/conference/conference-room.ts';
export * from './features/conference/conferences.ts';
export * from './features/recording/recording-policy.ts';
export * from './features/recording/recording-store.ts';
export * from './features/recording/call-recordings.ts';
// SIP trunks: external numbers out, DIDs in, registration at providers (docs/trunks.md).
export * from './trunks/trunk.ts';
export * from './trunks/dial-pattern.ts';
export * from './trunks/trunk-target.ts';
export * from './trunks/trunks.ts';
export * from './trunks/trunk-registration.ts';
export * from './trunks/transfer-target.ts';
export * from './trunks/originate-trunk.ts';
