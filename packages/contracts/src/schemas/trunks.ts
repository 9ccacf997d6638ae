// SIP trunks (docs/trunks.md): connections to SIP providers for external calls, the outbound
// routes that pick a trunk for a dialled number, the DIDs that ring extensions, and the
// organisation's external-call policy. Trunk passwords are write-only.
import { dateTime, nullable, object, uuid, withoutDefaults } from './common.ts';

export type TrunkTransport = 'udp' | 'tcp' | 'tls';
export type TrunkCodec = 'PCMU' | 'PCMA';
export type TrunkRegistrationState = 'registering' | 'registered' | 'failed' | 'stopped' | 'idle';

const host = { type: 'string', minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.-]+$' } as const;
const number = { type: 'string', pattern: '^\\+?[0-9]{1,32}$' } as const;
const extension = { type: 'string', pattern: "^[A-Za-z0-9\\-_.!~*'()+$&=,]{1,64}$" } as const;
const codecs = {
  type: 'array',
  items: { type: 'string', enum: ['PCMU', 'PCMA'] },
  minItems: 1,
  maxItems: 2,
  uniqueItems: true,
} as const;

export interface TrunkRegistration {
  state: TrunkRegistrationState;
  /** The provider's last final answer to REGISTER (or 408/503 when it did not answer). */
  lastStatus: number | null;
  expiresAt: string | null;
}

export interface Trunk {
  id: string;
  name: string;
  host: string;
  port: number;
  transport: TrunkTransport;
  outboundProxy: string | null;
  authUsername: string | null;
  /** Whether a password is stored (it is never returned). */
  hasPassword: boolean;
  fromUser: string | null;
  fromDomain: string | null;
  callerId: string | null;
  register: boolean;
  codecs: TrunkCodec[];
  inboundAddresses: string[];
  enabled: boolean;
  /** Live registration at the provider (null when the trunk does not register or the PBX is not running). */
  registration: TrunkRegistration | null;
  createdAt: string;
  updatedAt: string;
}

export const trunkSchema = object(
  {
    id: uuid,
    name: { type: 'string' },
    host: { type: 'string', description: "The provider's SIP server (host name or IPv4 address)." },
    port: { type: 'integer' },
    transport: { type: 'string', enum: ['udp', 'tcp', 'tls'] },
    outboundProxy: nullable({ type: 'string', description: 'host or host:port; requests go there.' }),
    authUsername: nullable({ type: 'string', description: 'Digest user name at the provider.' }),
    hasPassword: { type: 'boolean', description: 'A password is stored; it is never returned.' },
    fromUser: nullable({ type: 'string' }),
    fromDomain: nullable({ type: 'string' }),
    callerId: nullable({ type: 'string', description: 'The number presented to called parties.' }),
    register: { type: 'boolean', description: 'REGISTER at the provider to receive inbound calls.' },
    codecs: { type: 'array', items: { type: 'string', enum: ['PCMU', 'PCMA'] } },
    inboundAddresses: { type: 'array', items: { type: 'string' } },
    enabled: { type: 'boolean' },
    registration: nullable(
      object(
        {
          state: { type: 'string', enum: ['idle', 'registering', 'registered', 'failed', 'stopped'] },
          lastStatus: nullable({ type: 'integer' }),
          expiresAt: nullable(dateTime),
        },
        ['state', 'lastStatus', 'expiresAt'],
      ),
    ),
    createdAt: dateTime,
    updatedAt: dateTime,
  },
  [
    'id',
    'name',
    'host',
    'port',
    'transport',
    'outboundProxy',
    'authUsername',
    'hasPassword',
    'fromUser',
    'fromDomain',
    'callerId',
    'register',
    'codecs',
    'inboundAddresses',
    'enabled',
    'registration',
    'createdAt',
    'updatedAt',
  ],
);

export interface TrunkInput {
  name: string;
  host: string;
  port?: number;
  transport?: TrunkTransport;
  outboundProxy?: string | null;
  authUsername?: string | null;
  /** Write-only. */
  password?: string | null;
  fromUser?: string | null;
  fromDomain?: string | null;
  callerId?: string | null;
  register?: boolean;
  codecs?: TrunkCodec[];
  inboundAddresses?: string[];
  enabled?: boolean;
}

const trunkProps = {
  name: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' },
  host,
  port: { type: 'integer', minimum: 1, maximum: 65535, default: 5060 },
  transport: { type: 'string', enum: ['udp', 'tcp', 'tls'], default: 'udp' },
  outboundProxy: nullable({ type: 'string', maxLength: 260, pattern: '^[A-Za-z0-9.-]+(:[0-9]{1,5})?$' }),
  authUsername: nullable({ type: 'string', minLength: 1, maxLength: 128 }),
  password: nullable({ type: 'string', minLength: 1, maxLength: 128, writeOnly: true }),
  fromUser: nullable({ type: 'string', pattern: "^[A-Za-z0-9\\-_.!~*'()+$&=,]{1,64}$" }),
  fromDomain: nullable(host),
  callerId: nullable(number),
  register: { type: 'boolean', default: false },
  codecs,
  inboundAddresses: {
    type: 'array',
    maxItems: 32,
    items: { type: 'string', pattern: '^[0-9]{1,3}(\\.[0-9]{1,3}){3}(/[0-9]{1,2})?$' },
  },
  enabled: { type: 'boolean', default: true },
};
export const createTrunkRequest = object(trunkProps, ['name', 'host']);
export const updateTrunkRequest = object(withoutDefaults(trunkProps));

export interface OutboundRoute {
  id: string;
  trunkId: string;
  pattern: string;
  strip: number;
  prepend: string;
  position: number;
}
export interface OutboundRouteInput {
  trunkId: string;
  pattern: string;
  strip?: number;
  prepend?: string;
  position?: number;
}
export const outboundRouteSchema = object(
  {
    id: uuid,
    trunkId: uuid,
    pattern: { type: 'string' },
    strip: { type: 'integer' },
    prepend: { type: 'string' },
    position: { type: 'integer' },
  },
  ['id', 'trunkId', 'pattern', 'strip', 'prepend', 'position'],
);
export const createOutboundRouteRequest = object(
  {
    trunkId: uuid,
    pattern: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      pattern: '^(?:[0-9*#+XZNxzn]|\\[[0-9-]+\\])+[.!]?$',
      description:
        'Digits, + * #, X (0-9), Z (1-9), N (2-9), [1-5] sets, a final . (one or more) or ! (zero or more).',
    },
    strip: { type: 'integer', minimum: 0, maximum: 32, default: 0 },
    prepend: { type: 'string', pattern: '^[0-9*#+]{0,16}$', default: '' },
    position: { type: 'integer', description: 'Routes are tried by position (default: after the others).' },
  },
  ['trunkId', 'pattern'],
);

export interface Did {
  id: string;
  number: string;
  extension: string;
  trunkId: string | null;
}
export interface DidInput {
  number: string;
  extension: string;
  trunkId?: string | null;
}
export const didSchema = object(
  { id: uuid, number: { type: 'string' }, extension: { type: 'string' }, trunkId: nullable(uuid) },
  ['id', 'number', 'extension', 'trunkId'],
);
export const createDidRequest = object(
  {
    number: { ...number, description: 'The number as the provider sends it (E.164 with or without +).' },
    extension: { ...extension, description: 'The extension that rings.' },
    trunkId: nullable({ ...uuid, description: 'Only calls from this trunk (default: any trunk).' }),
  },
  ['number', 'extension'],
);

export interface TrunkPolicy {
  externalCalls: boolean;
  allowedExtensions: string[] | null;
}
export const trunkPolicySchema = object(
  {
    externalCalls: {
      type: 'boolean',
      description: 'External calls (out, forwarded, transferred) are allowed. Off by default.',
    },
    allowedExtensions: nullable({
      type: 'array',
      items: { type: 'string' },
      description: 'Only these extensions may call out; null: every extension.',
    }),
  },
  ['externalCalls', 'allowedExtensions'],
);
export const updateTrunkPolicyRequest = object({
  externalCalls: { type: 'boolean' },
  allowedExtensions: nullable({ type: 'array', maxItems: 1000, items: extension }),
});
