// Registration, sessions, passwords, API tokens.
import { dateTime, email, name100, nullable, object, password, uuid } from './common.ts';

export interface RegisterRequest {
  firstName: string;
  lastName: string;
  email: string;
  organisationName?: string;
  website?: string;
  password: string;
  passwordConfirmation: string;
  privacyAccepted: boolean;
  newsSubscription?: boolean;
}

export const registerRequest = object(
  {
    firstName: name100,
    lastName: name100,
    email,
    organisationName: { type: 'string', maxLength: 200 },
    website: { type: 'string', maxLength: 300 },
    password,
    passwordConfirmation: { type: 'string', maxLength: 128 },
    privacyAccepted: { type: 'boolean', description: 'Must be true: the privacy notice was accepted.' },
    newsSubscription: { type: 'boolean', default: false },
  },
  ['firstName', 'lastName', 'email', 'password', 'passwordConfirmation', 'privacyAccepted'],
);

export interface RegisterResponse {
  userId: string;
  email: string;
  /** A confirmation link was e-mailed (it must be followed before the first login); false when the mail server refused it (ask for it again with /auth/confirm-email/resend). */
  confirmationSent: boolean;
}

export const registerResponse = object(
  { userId: uuid, email: { type: 'string' }, confirmationSent: { type: 'boolean' } },
  ['userId', 'email', 'confirmationSent'],
);

export const tokenRequest = object({ token: { type: 'string', minLength: 1, maxLength: 200 } }, ['token']);
export const emailRequest = object({ email }, ['email']);

export interface LoginRequest {
  email: string;
  password: string;
}
export const loginRequest = object(
  { email: { type: 'string', maxLength: 254 }, password: { type: 'string', maxLength: 128 } },
  ['email', 'password'],
);

export interface Organisation {
  id: string;
  name: string;
  website: string | null;
  /** Where the organisation's softphones send "Get help"; null: the owner's e-mail is used. */
  supportEmail: string | null;
  sipDomain: string;
  isDefault: boolean;
}
export const organisationSchema = object(
  {
    id: uuid,
    name: { type: 'string' },
    website: nullable({ type: 'string' }),
    supportEmail: nullable({
      type: 'string',
      description:
        'Where the organisation\'s softphones send "Get help" e-mails (in their configuration); null: the owner\'s e-mail.',
    }),
    sipDomain: {
      type: 'string',
      description: 'The SIP domain (and digest realm) of the built-in PBX for this organisation.',
    },
    isDefault: {
      type: 'boolean',
      description: "The default organisation also answers on the server's own addresses.",
    },
  },
  ['id', 'name', 'website', 'supportEmail', 'sipDomain', 'isDefault'],
);

export interface Me {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  role: 'owner' | 'admin';
  newsSubscription: boolean;
  organisation: Organisation;
}
export const meSchema = object(
  {
    id: uuid,
    email: { type: 'string' },
    firstName: { type: 'string' },
    lastName: { type: 'string' },
    role: { type: 'string', enum: ['owner', 'admin'] },
    newsSubscription: { type: 'boolean' },
    organisation: organisationSchema,
  },
  ['id', 'email', 'firstName', 'lastName', 'role', 'newsSubscription', 'organisation'],
);

export const profilePatch = object({
  firstName: name100,
  lastName: name100,
  newsSubscription: { type: 'boolean' },
  organisationName: { type: 'string', minLength: 1, maxLength: 200 },
  website: nullable({ type: 'string', maxLength: 300 }),
  supportEmail: nullable(email),
});

export const resetPasswordRequest = object(
  {
    token: { type: 'string', minLength: 1, maxLength: 200 },
    password,
    passwordConfirmation: { type: 'string', maxLength: 128 },
  },
  ['token', 'password', 'passwordConfirmation'],
);

export const changePasswordRequest = object(
  {
    currentPassword: { type: 'string', maxLength: 128 },
    newPassword: password,
    newPasswordConfirmation: { type: 'string', maxLength: 128 },
  },
  ['currentPassword', 'newPassword', 'newPasswordConfirmation'],
);

export interface ApiTokenInfo {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}
export const apiTokenSchema = object(
  {
    id: uuid,
    name: { type: 'string' },
    prefix: { type: 'string', description: 'The first characters of the token, to recognise it.' },
    createdAt: dateTime,
    lastUsedAt: nullable(dateTime),
  },
  ['id', 'name', 'prefix', 'createdAt', 'lastUsedAt'],
);
export const createTokenRequest = object({ name: name100 }, ['name']);
export interface CreatedApiToken extends ApiTokenInfo {
  /** Shown once: only its hash is stored. */
  token: string;
}
export const createdTokenSchema = object(
  {
    ...(apiTokenSchema.properties as Record<string, Record<string, unknown>>),
    token: { type: 'string', description: 'Shown once.' },
  },
  ['id', 'name', 'prefix', 'createdAt', 'lastUsedAt', 'token'],
);
