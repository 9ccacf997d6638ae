// The device side: activation with a code, configuration by version, heartbeats, line reports.
import { nullable, object, uuid } from './common.ts';

export interface ActivateRequest {
  code: string;
  os: string;
  appVersion: string;
}
export const activateRequest = object(
  {
    code: { type: 'string', minLength: 1, maxLength: 64 },
    os: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      description: 'OS / device type, e.g. "Windows Desktop".',
    },
    appVersion: { type: 'string', minLength: 1, maxLength: 50 },
  },
  ['code', 'os', 'appVersion'],
);

export interface ProvisionedAccount {
  id: string;
  name: string;
  server: string;
  port: number;
  transport: 'udp' | 'tcp' | 'tls';
  proxy: string | null;
  domain: string;
  username: string;
  authUsername: string;
  displayName: string;
  dialingRules: string;
  manualPassword: boolean;
  /** Absent when the password is entered manually on the device. */
  password?: string;
  pushProxy: boolean;
  builtIn: boolean;
  /** SIP over WebSocket (RFC 7118) on the built-in PBX, for browsers; null for other providers. */
  websocketUrl: string | null;
}
export interface DeviceConfig {
  version: number;
  device: { id: string; name: string };
  heartbeatIntervalSeconds: number;
  accounts: ProvisionedAccount[];
  /** Where the app's "Get help" writes: the support e-mail of the first line's provider. */
  supportEmail: string | null;
  /**
   * The organisation's feature codes on the built-in PBX, by feature (`conference: "*8"`, …):
   * what the app dials or REFERs to for PBX features. Optional for older servers.
   */
  featureCodes?: Record<string, string>;
}
export const provisionedAccountSchema = object(
  {
    id: uuid,
    name: { type: 'string' },
    server: { type: 'string', description: 'SIP server host.' },
    port: { type: 'integer' },
    transport: { type: 'string', enum: ['udp', 'tcp', 'tls'] },
    proxy: nullable({ type: 'string' }),
    domain: { type: 'string', description: 'SIP domain for the AOR (sip:username@domain) and digest realm.' },
    username: { type: 'string' },
    authUsername: { type: 'string' },
    displayName: { type: 'string' },
    dialingRules: { type: 'string' },
    manualPassword: { type: 'boolean' },
    password: { type: 'string', description: 'Absent when entered manually on the device.' },
    pushProxy: { type: 'boolean' },
    builtIn: { type: 'boolean' },
    websocketUrl: nullable({
      type: 'string',
      description:
        'SIP over WebSocket (subprotocol "sip") on the built-in PBX, for browsers; null for other providers.',
    }),
  },
  [
    'id',
    'name',
    'server',
    'port',
    'transport',
    'proxy',
    'domain',
    'username',
    'authUsername',
    'displayName',
    'dialingRules',
    'manualPassword',
    'pushProxy',
    'builtIn',
    'websocketUrl',
  ],
);
export const deviceConfigSchema = object(
  {
    version: { type: 'integer', description: 'Also the ETag ("v<version>").' },
    device: object({ id: uuid, name: { type: 'string' } }, ['id', 'name']),
    heartbeatIntervalSeconds: { type: 'integer' },
    accounts: { type: 'array', items: provisionedAccountSchema },
    supportEmail: nullable({
      type: 'string',
      description:
        "Support address for the app's Get help: the first line's provider's, else the built-in provider's; null when none is set.",
    }),
    featureCodes: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description:
        "The organisation's feature codes on the built-in PBX by feature (conference, voicemail, …), as configured (docs/feature-codes.md).",
    },
  },
  ['version', 'device', 'heartbeatIntervalSeconds', 'accounts', 'supportEmail'],
);
export interface ActivateResponse {
  /** Send as `Authorization: Bearer <deviceToken>` on every provisioning call. */
  deviceToken: string;
  config: DeviceConfig;
}
export const activateResponse = object({ deviceToken: { type: 'string' }, config: deviceConfigSchema }, [
  'deviceToken',
  'config',
]);

export interface HeartbeatResponse {
  configVersion: number;
  heartbeatIntervalSeconds: number;
}
export const heartbeatRequest = object({ appVersion: { type: 'string', minLength: 1, maxLength: 50 } });
export const heartbeatResponse = object(
  { configVersion: { type: 'integer' }, heartbeatIntervalSeconds: { type: 'integer' } },
  ['configVersion', 'heartbeatIntervalSeconds'],
);
export interface LineReport {
  accountId: string;
  state: 'registered' | 'unregistered' | 'failed';
}
export const lineReportRequest = object(
  {
    lines: {
      type: 'array',
      maxItems: 4,
      items: object(
        { accountId: uuid, state: { type: 'string', enum: ['registered', 'unregistered', 'failed'] } },
        ['accountId', 'state'],
      ),
    },
  },
  ['lines'],
);
