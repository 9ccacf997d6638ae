// @switchboard/api: the management portal and provisioning API (Fastify plugins).
export { registerApi, createApiContext, type ApiHandle } from './api-plugin.ts';
export type { ApiOptions, ApiContext, ApiLogger, RegistrationSource, SipEndpoint } from './context.ts';
export type { Mailer, MailMessage, MailAttachment } from './mail/mailer.ts';
export { OutboxMailer } from './mail/outbox-mailer.ts';
export { argon2idHasher, type PasswordHasher } from './auth/password-hasher.ts';
export { createApiToken } from './auth/api-tokens.ts';
export { ApiError } from './errors/api-error.ts';
export { PORTAL_LIVE_PATH, DEVICE_LIVE_PATH } from './live/websocket-server.ts';
export { SESSION_COOKIE } from './auth/authenticate.ts';
export { organisationFor, DEFAULT_SIP_DOMAIN } from './auth/organisation.ts';
export type {
  PbxControl,
  ConferenceRoomView,
  ConferenceParticipantView,
  LiveCallView,
  ParticipantAction,
  RoomAction,
} from './pbx-apps/pbx-control.ts';
export type { TrunkControl } from './trunks/trunk-control.ts';
