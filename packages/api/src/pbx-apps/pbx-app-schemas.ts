// JSON schemas of the conference, recording and voicemail routes (OpenAPI comes from them).
import { object } from '@switchboard/contracts';

const str = { type: 'string' } as const;
const bool = { type: 'boolean' } as const;
const int = { type: 'integer', minimum: 0 } as const;
const time = { type: 'string', format: 'date-time' } as const;

export const roomParams = object({ room: { type: 'string', pattern: '^[0-9]{1,10}$' } }, ['room']);
export const participantParams = object(
  {
    room: { type: 'string', pattern: '^[0-9]{1,10}$' },
    participant: { type: 'string', minLength: 1, maxLength: 255 },
  },
  ['room', 'participant'],
);
export const extensionParams = object(
  { extension: { type: 'string', pattern: '^[A-Za-z0-9._~+-]{1,64}$' } },
  ['extension'],
);
export const messageParams = object(
  {
    extension: { type: 'string', pattern: '^[A-Za-z0-9._~+-]{1,64}$' },
    id: { type: 'string', format: 'uuid' },
  },
  ['extension', 'id'],
);

export const participantSchema = object(
  { id: str, extension: str, name: str, owner: bool, muted: bool, held: bool, joinedAt: time },
  ['id', 'extension', 'name', 'owner', 'muted', 'held', 'joinedAt'],
);
export const conferenceSchema = object(
  {
    room: str,
    owner: { type: ['string', 'null'] },
    startedAt: time,
    participants: { type: 'array', items: participantSchema },
  },
  ['room', 'owner', 'startedAt', 'participants'],
);
export const inviteRequest = object({ extension: { type: 'string', pattern: '^[A-Za-z0-9._~+-]{1,64}$' } }, [
  'extension',
]);
export const inviteResponse = object(
  { room: str, extension: str, status: { type: 'string', enum: ['calling'] } },
  ['room', 'extension', 'status'],
);
export const memberPatch = object({ muted: bool, held: bool });

export const recordingSchema = object(
  {
    id: { type: 'string', format: 'uuid' },
    callId: str,
    caller: str,
    callee: str,
    channels: { type: 'integer', enum: [1, 2] },
    durationMs: int,
    trigger: { type: 'string', enum: ['policy', 'on-demand'] },
    startedAt: time,
    endedAt: time,
    audioUrl: str,
  },
  [
    'id',
    'callId',
    'caller',
    'callee',
    'channels',
    'durationMs',
    'trigger',
    'startedAt',
    'endedAt',
    'audioUrl',
  ],
);
export const recordingSettingsSchema = object(
  {
    channels: { type: 'integer', enum: [1, 2] },
    retentionDays: { type: ['integer', 'null'], minimum: 1, maximum: 36500 },
  },
  ['channels', 'retentionDays'],
);
export const recordingSettingsPatch = object({
  channels: { type: 'integer', enum: [1, 2] },
  retentionDays: { type: ['integer', 'null'], minimum: 1, maximum: 36500 },
});
export const policySchema = object(
  { policy: { type: 'string', enum: ['off', 'inbound', 'outbound', 'all'] } },
  ['policy'],
);
export const liveCallSchema = object({ callId: str, caller: str, callee: str, recording: bool }, [
  'callId',
  'caller',
  'callee',
  'recording',
]);
export const liveCallParams = object({ callId: { type: 'string', minLength: 1, maxLength: 255 } }, [
  'callId',
]);
export const recordingSwitch = object({ recording: bool }, ['recording']);

export const mailboxSchema = object(
  {
    extension: str,
    enabled: bool,
    hasPin: bool,
    hasGreeting: bool,
    email: { type: ['string', 'null'] },
    maxMessageSeconds: int,
    newMessages: int,
    oldMessages: int,
  },
  [
    'extension',
    'enabled',
    'hasPin',
    'hasGreeting',
    'email',
    'maxMessageSeconds',
    'newMessages',
    'oldMessages',
  ],
);
export const mailboxPatch = object({
  enabled: bool,
  pin: { type: ['string', 'null'], pattern: '^[0-9]{4,12}$' },
  email: { type: ['string', 'null'], maxLength: 254 },
  maxMessageSeconds: { type: 'integer', minimum: 10, maximum: 3600 },
  /** Back to the default greeting. */
  resetGreeting: { type: 'boolean', enum: [true] },
});
export const messageSchema = object(
  {
    id: { type: 'string', format: 'uuid' },
    caller: str,
    callerName: str,
    durationMs: int,
    folder: { type: 'string', enum: ['new', 'saved'] },
    createdAt: time,
    audioUrl: str,
  },
  ['id', 'caller', 'callerName', 'durationMs', 'folder', 'createdAt', 'audioUrl'],
);
export const messagePatch = object({ folder: { type: 'string', enum: ['new', 'saved'] } }, ['folder']);
export const countsSchema = object(
  {
    lines: {
      type: 'array',
      items: object({ extension: str, newMessages: int, oldMessages: int }, [
        'extension',
        'newMessages',
        'oldMessages',
      ]),
    },
  },
  ['lines'],
);
