// The softphone's view of its user's PBX services (issue 7): voicemail messages, call
// recordings and live calls of the device's own lines (built-in PBX extensions), reached with
// the device token under /provisioning/. A device sees only its own extensions' data.
import { dateTime, object, uuid } from './common.ts';

const str = { type: 'string' } as const;
const count = { type: 'integer', minimum: 0 } as const;

/** A recording of a call, as the softphone lists it (its audio under /provisioning/recordings). */
export interface DeviceRecording {
  id: string;
  /** The SIP Call-ID of the call's caller leg (the call record lists it among sipCallIds). */
  callId: string;
  caller: string;
  callee: string;
  durationMs: number;
  trigger: 'policy' | 'on-demand';
  startedAt: string;
  endedAt: string;
  /** `/api/v1/provisioning/recordings/{id}/audio` (device token). */
  audioUrl: string;
}
export const deviceRecordingSchema = object(
  {
    id: uuid,
    callId: str,
    caller: str,
    callee: str,
    durationMs: count,
    trigger: { type: 'string', enum: ['policy', 'on-demand'] },
    startedAt: dateTime,
    endedAt: dateTime,
    audioUrl: str,
  },
  ['id', 'callId', 'caller', 'callee', 'durationMs', 'trigger', 'startedAt', 'endedAt', 'audioUrl'],
);

/** A voicemail message on one of the device's lines. */
export interface DeviceVoicemailMessage {
  id: string;
  /** The line (SIP account) and its extension. */
  accountId: string;
  extension: string;
  caller: string;
  callerName: string;
  durationMs: number;
  folder: 'new' | 'saved';
  createdAt: string;
  /** `/api/v1/provisioning/voicemail/messages/{id}/audio` (device token). */
  audioUrl: string;
}
export const deviceVoicemailMessageSchema = object(
  {
    id: uuid,
    accountId: uuid,
    extension: str,
    caller: str,
    callerName: str,
    durationMs: count,
    folder: { type: 'string', enum: ['new', 'saved'] },
    createdAt: dateTime,
    audioUrl: str,
  },
  ['id', 'accountId', 'extension', 'caller', 'callerName', 'durationMs', 'folder', 'createdAt', 'audioUrl'],
);
export const deviceVoicemailQuery = object({ accountId: { ...uuid, description: 'One line only.' } });
export const deviceMessagePatch = object({ folder: { type: 'string', enum: ['new', 'saved'] } }, ['folder']);

/** An answered call on one of the device's lines, and whether the PBX records it. */
export interface DeviceLiveCall {
  /** The caller leg's SIP Call-ID (what PUT …/recording takes). */
  callId: string;
  caller: string;
  callee: string;
  recording: boolean;
}
export const deviceLiveCallSchema = object(
  { callId: str, caller: str, callee: str, recording: { type: 'boolean' } },
  ['callId', 'caller', 'callee', 'recording'],
);
export const deviceRecordingSwitch = object({ recording: { type: 'boolean' } }, ['recording']);
