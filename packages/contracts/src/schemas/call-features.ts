// The PBX's call features (issue 7): an extension's Do Not Disturb and forwarding, the tenant's
// feature codes, and the call history of a user across their lines.
import { dateTime, nullable, object, uuid } from './common.ts';
import { deviceRecordingSchema, type DeviceRecording } from './device-services.ts';

const number = { type: 'string', pattern: '^[0-9*#+]{1,32}$' } as const;

export interface CallSettingsView {
  dnd: boolean;
  forwardAlways: string | null;
  forwardBusy: string | null;
  forwardNoAnswer: string | null;
  forwardUnavailable: string | null;
  noAnswerSeconds: number;
}
export type CallSettingsPatchRequest = Partial<CallSettingsView>;

const settingsProperties = {
  dnd: {
    type: 'boolean',
    description: 'Do Not Disturb: incoming calls are refused with 480; outgoing calls work.',
  },
  forwardAlways: nullable({ ...number, description: 'Forward every call to this extension (null: off).' }),
  forwardBusy: nullable({ ...number, description: 'Forward when busy.' }),
  forwardNoAnswer: nullable({ ...number, description: 'Forward when not answered within noAnswerSeconds.' }),
  forwardUnavailable: nullable({ ...number, description: 'Forward when no device is registered.' }),
  noAnswerSeconds: { type: 'integer', minimum: 5, maximum: 120 },
};
export const callSettingsSchema = object(settingsProperties, Object.keys(settingsProperties));
export const callSettingsPatch = object(settingsProperties);

export interface FeatureCodeView {
  feature: string;
  code: string;
  defaultCode: string;
  kind: 'dial' | 'in-call';
  takesNumber: boolean;
  description: string;
  available: boolean;
}
export const featureCodeSchema = object(
  {
    feature: { type: 'string' },
    code: { type: 'string', description: 'What the tenant dials (its own code, or the default).' },
    defaultCode: { type: 'string' },
    kind: {
      type: 'string',
      enum: ['dial', 'in-call'],
      description: 'Dialled as a number, or keyed during a call.',
    },
    takesNumber: { type: 'boolean', description: 'The code is followed by an extension (e.g. *72 1002).' },
    description: { type: 'string' },
    available: { type: 'boolean', description: 'False for codes reserved for modules not built yet.' },
  },
  ['feature', 'code', 'defaultCode', 'kind', 'takesNumber', 'description', 'available'],
);
export interface FeatureCodesRequest {
  codes: Record<string, string>;
}
export const featureCodesRequest = object(
  {
    codes: {
      type: 'object',
      additionalProperties: { type: 'string', pattern: '^[*#][0-9*#]{0,7}$' },
      description: 'feature → code for every code that differs from the default ({} restores all defaults).',
    },
  },
  ['codes'],
);

export type CallHistoryType = 'inbound' | 'outbound' | 'missed';
export interface CallHistoryEntry {
  id: string;
  type: CallHistoryType;
  /** The other party's number. */
  number: string;
  /** The other party's name (extension display name, the contact using it), else the number. */
  name: string;
  line: { accountId: string | null; username: string };
  startedAt: string;
  answeredAt: string | null;
  /** Talk time in whole seconds (0 when not answered). */
  durationSeconds: number;
  disposition: string;
  /** The SIP Call-IDs of the call's legs (the softphone matches its own records by them). */
  sipCallIds?: string[];
  /** The call's recordings the reader may hear (the softphone: its own lines' calls only). */
  recordings?: DeviceRecording[];
  /** Missed because the line forwarded the call: the number it was forwarded to. */
  divertedTo?: string;
  /** Missed because the line's voicemail answered the call (the caller may have left a message). */
  voicemail?: boolean;
}
export const callHistoryEntrySchema = object(
  {
    id: uuid,
    type: { type: 'string', enum: ['inbound', 'outbound', 'missed'] },
    number: { type: 'string' },
    name: { type: 'string' },
    line: object(
      {
        accountId: nullable(uuid),
        username: { type: 'string', description: 'The extension the call used.' },
      },
      ['accountId', 'username'],
    ),
    startedAt: dateTime,
    answeredAt: nullable(dateTime),
    durationSeconds: { type: 'integer', minimum: 0 },
    disposition: { type: 'string', enum: ['answered', 'busy', 'no_answer', 'failed', 'cancelled'] },
    sipCallIds: { type: 'array', items: { type: 'string' } },
    recordings: { type: 'array', items: deviceRecordingSchema },
    divertedTo: {
      type: 'string',
      description:
        'The line forwarded the call (type missed) to this number. answeredAt, durationSeconds and ' +
        'disposition then describe the call after forwarding (answered by the forwarding target).',
    },
    voicemail: {
      type: 'boolean',
      description: "True: the line's voicemail answered the call (type missed).",
    },
  },
  ['id', 'type', 'number', 'name', 'line', 'startedAt', 'answeredAt', 'durationSeconds', 'disposition'],
);
export const callHistoryQuery = object({
  limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
  before: {
    ...dateTime,
    description: 'Only calls that started before this time (paging: the last startedAt).',
  },
});
export const adminCallHistoryQuery = object(
  {
    ...(callHistoryQuery.properties as Record<string, object>),
    contactId: { ...uuid, description: 'The lines of every device of this contact (a user).' },
    accountId: { ...uuid, description: 'One line.' },
  },
  [],
);
export const callHistoryList = object(
  { items: { type: 'array', items: callHistoryEntrySchema } },
  ['items'],
  'Newest first.',
);
export const accountIdQuery = object({ accountId: uuid }, ['accountId']);

export interface MusicOnHoldView {
  custom: boolean;
  name: string | null;
  durationSeconds: number;
  updatedAt: string | null;
}
export const musicOnHoldSchema = object(
  {
    custom: { type: 'boolean', description: 'False: the built-in melody plays.' },
    name: nullable({ type: 'string' }),
    durationSeconds: { type: 'number' },
    updatedAt: nullable(dateTime),
  },
  ['custom', 'name', 'durationSeconds', 'updatedAt'],
);
export interface MusicOnHoldUpload {
  name: string;
  /** The WAV or MP3 file, base64. */
  audio?: string;
  /** The same, under its older name (it always took an MP3 too since MP3 uploads exist). */
  wav?: string;
}
const audioFile = {
  type: 'string',
  minLength: 60,
  maxLength: 8_000_000,
  pattern: '^[A-Za-z0-9+/]+={0,2}$',
} as const;
export const musicOnHoldUpload = object(
  {
    name: { type: 'string', minLength: 1, maxLength: 200, description: 'The file name, for people.' },
    audio: {
      ...audioFile,
      description:
        'A WAV (PCM 16-bit, μ-law or A-law; any rate; mono or stereo) or MP3 (MPEG-1/2/2.5 Layer I–III) file, base64, 1 s to 5 min.',
    },
    wav: { ...audioFile, description: 'Older name of `audio` (either one, not both).' },
  },
  ['name'],
);
