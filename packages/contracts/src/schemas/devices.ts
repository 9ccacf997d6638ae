// Devices (softphone installations of a contact) and their activation.
import { dateTime, email, nullable, object, uuid } from './common.ts';

export type DeviceStatus = 'not_activated' | 'online' | 'offline';
export type DeviceSubStatus = 'instructions_sent' | 'pending_update' | null;
export type LineState = 'registered' | 'unregistered' | 'failed';

export interface Device {
  id: string;
  contactId: string;
  name: string;
  accountIds: string[];
  os: string | null;
  appVersion: string | null;
  status: DeviceStatus;
  subStatus: DeviceSubStatus;
  configVersion: number;
  lastSeenAt: string | null;
  activatedAt: string | null;
  lines: { accountId: string; state: LineState | null }[];
}
export const deviceSchema = object(
  {
    id: uuid,
    contactId: uuid,
    name: { type: 'string' },
    accountIds: { type: 'array', items: uuid, description: 'SIP accounts in line order (1 to 4).' },
    os: nullable({ type: 'string', description: 'OS / device type reported by the app.' }),
    appVersion: nullable({ type: 'string' }),
    status: { type: 'string', enum: ['not_activated', 'online', 'offline'] },
    subStatus: nullable({ type: 'string', enum: ['instructions_sent', 'pending_update', null] }),
    configVersion: { type: 'integer' },
    lastSeenAt: nullable(dateTime),
    activatedAt: nullable(dateTime),
    lines: {
      type: 'array',
      items: object(
        {
          accountId: uuid,
          state: nullable({ type: 'string', enum: ['registered', 'unregistered', 'failed', null] }),
        },
        ['accountId', 'state'],
      ),
    },
  },
  [
    'id',
    'contactId',
    'name',
    'accountIds',
    'os',
    'appVersion',
    'status',
    'subStatus',
    'configVersion',
    'lastSeenAt',
    'activatedAt',
    'lines',
  ],
);
const accountIds = { type: 'array', minItems: 1, maxItems: 4, uniqueItems: true, items: uuid } as const;
const deviceName = { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' } as const;
export interface DeviceInput {
  name: string;
  accountIds: string[];
}
export const createDeviceRequest = object({ name: deviceName, accountIds }, ['name', 'accountIds']);
export const updateDeviceRequest = object({ name: deviceName, accountIds });
export const moveDeviceRequest = object({ contactId: uuid }, ['contactId']);

export interface Activation {
  /** Null once instructions were e-mailed or the device is activated (then reset to see a new one). */
  code: string | null;
  qrSvg: string | null;
  /** data:image/png;base64,… */
  qrPng: string | null;
  link: string | null;
  activated: boolean;
  instructionsSentTo: string | null;
  instructionsSentAt: string | null;
}
export const activationSchema = object(
  {
    code: nullable({
      type: 'string',
      description: 'Hidden (null) after the instructions were sent, or once activated.',
    }),
    qrSvg: nullable({ type: 'string', description: 'SVG image of a QR code encoding `link`.' }),
    qrPng: nullable({ type: 'string', description: 'The same QR code as a PNG data URI.' }),
    link: nullable({ type: 'string', description: 'Click-to-activate: opens the softphone with the code.' }),
    activated: { type: 'boolean' },
    instructionsSentTo: nullable({ type: 'string' }),
    instructionsSentAt: nullable(dateTime),
  },
  ['code', 'qrSvg', 'qrPng', 'link', 'activated', 'instructionsSentTo', 'instructionsSentAt'],
);
export const sendActivationRequest = object({ email }, ['email']);
