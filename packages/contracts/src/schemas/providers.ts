// Service providers and their SIP accounts.
import { MAX_DIALING_RULES_LENGTH } from '../dialing-rules.ts';
import { nullable, object, uuid, withoutDefaults } from './common.ts';

export type Transport = 'udp' | 'tcp' | 'tls';
const transport = { type: 'string', enum: ['udp', 'tcp', 'tls'] } as const;
const host = { type: 'string', minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.-]+\\.?$' } as const;

export interface Provider {
  id: string;
  name: string;
  /** SIP server; for the built-in provider, this server's SIP address. */
  host: string;
  port: number;
  proxy: string | null;
  transport: Transport;
  builtIn: boolean;
  accountCount: number;
}
export const providerSchema = object(
  {
    id: uuid,
    name: { type: 'string' },
    host: {
      type: 'string',
      description: "SIP server host; for the built-in PBX, this server's SIP address.",
    },
    port: { type: 'integer' },
    proxy: nullable({ type: 'string', description: 'Outbound SIP proxy (host or host:port).' }),
    transport,
    builtIn: { type: 'boolean', description: 'The built-in PBX: always there, cannot be deleted.' },
    accountCount: { type: 'integer' },
  },
  ['id', 'name', 'host', 'port', 'proxy', 'transport', 'builtIn', 'accountCount'],
);

export interface ProviderInput {
  name: string;
  host: string;
  port?: number;
  proxy?: string | null;
  transport?: Transport;
}
const providerProps = {
  name: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' },
  host,
  port: { type: 'integer', minimum: 1, maximum: 65535, default: 5060 },
  proxy: nullable({ type: 'string', maxLength: 255 }),
  transport,
};
export const createProviderRequest = object(providerProps, ['name', 'host']);
export const updateProviderRequest = object(withoutDefaults(providerProps));

export type SipStatus = 'online' | 'offline' | 'not_in_use';
export type PushStatus = 'enabled' | 'disabled';

export interface Assignment {
  deviceId: string;
  deviceName: string;
  contactId: string;
  contactName: string;
}
export const assignmentSchema = object(
  { deviceId: uuid, deviceName: { type: 'string' }, contactId: uuid, contactName: { type: 'string' } },
  ['deviceId', 'deviceName', 'contactId', 'contactName'],
);

export interface SipAccount {
  id: string;
  providerId: string;
  name: string;
  manualPassword: boolean;
  username: string;
  protocol: Transport;
  pushProxy: boolean;
  authUsername: string | null;
  displayName: string;
  dialingRules: string;
  /** Whether a password is stored (the password itself is never returned). */
  hasPassword: boolean;
  sipStatus: SipStatus;
  pushStatus: PushStatus;
  assignedTo: Assignment[];
}
export const accountSchema = object(
  {
    id: uuid,
    providerId: uuid,
    name: { type: 'string', description: 'Friendly name.' },
    manualPassword: {
      type: 'boolean',
      description: 'The password is entered on the device, not provisioned.',
    },
    username: { type: 'string', description: 'SIP user name; the extension number on the built-in PBX.' },
    protocol: transport,
    pushProxy: { type: 'boolean', description: 'Use the proxy server for push notifications.' },
    authUsername: nullable({
      type: 'string',
      description: 'Digest user name when it differs from username.',
    }),
    displayName: { type: 'string' },
    dialingRules: { type: 'string', description: 'See docs/dialing-rules.md.' },
    hasPassword: { type: 'boolean', description: 'A password is stored. The password itself is write-only.' },
    sipStatus: {
      type: 'string',
      enum: ['online', 'offline', 'not_in_use'],
      description:
        'Live: not_in_use when no device uses it; else online when registered (built-in PBX: the registrar; other providers: what devices report).',
    },
    pushStatus: { type: 'string', enum: ['enabled', 'disabled'] },
    assignedTo: { type: 'array', items: assignmentSchema },
  },
  [
    'id',
    'providerId',
    'name',
    'manualPassword',
    'username',
    'protocol',
    'pushProxy',
    'authUsername',
    'displayName',
    'dialingRules',
    'hasPassword',
    'sipStatus',
    'pushStatus',
    'assignedTo',
  ],
);

export interface SipAccountInput {
  name?: string;
  manualPassword?: boolean;
  username: string;
  password?: string | null;
  protocol?: Transport;
  pushProxy?: boolean;
  authUsername?: string | null;
  displayName?: string;
  dialingRules?: string;
}
const sipUser = {
  type: 'string',
  minLength: 1,
  maxLength: 64,
  pattern: "^[A-Za-z0-9\\-_.!~*'()+$&=,]+$",
} as const;
const accountProps = {
  name: { type: 'string', maxLength: 200 },
  manualPassword: { type: 'boolean', default: false },
  username: sipUser,
  password: nullable({
    type: 'string',
    minLength: 1,
    maxLength: 128,
    writeOnly: true,
    description: 'Write-only: never returned.',
  }),
  protocol: transport,
  pushProxy: { type: 'boolean' },
  authUsername: nullable(sipUser),
  displayName: { type: 'string', maxLength: 128 },
  dialingRules: { type: 'string', maxLength: MAX_DIALING_RULES_LENGTH },
};
export const createAccountRequest = object(accountProps, ['username']);
export const updateAccountRequest = object(withoutDefaults(accountProps));
export const accountParams = object({ id: uuid, accountId: uuid }, ['id', 'accountId']);
