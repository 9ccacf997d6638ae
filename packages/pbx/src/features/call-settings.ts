// What an extension asked for its incoming calls (issue 7): Do Not Disturb and forwarding.
// Stored by the server (@switchboard/db extension_call_settings), read through the Directory.

export interface CallSettings {
  /** Do Not Disturb: incoming calls are refused with 480 (RFC 3261 §21.4.18); outgoing ones work. */
  readonly dnd: boolean;
  /** Forward every call to this number, before ringing anything. */
  readonly forwardAlways: string | null;
  /** Forward when the extension's devices answer busy (486/600/603). */
  readonly forwardBusy: string | null;
  /** Forward when nobody answers within `noAnswerSeconds`. */
  readonly forwardNoAnswer: string | null;
  /** Forward when no device is registered. */
  readonly forwardUnavailable: string | null;
  readonly noAnswerSeconds: number;
}

export const DEFAULT_CALL_SETTINGS: CallSettings = Object.freeze({
  dnd: false,
  forwardAlways: null,
  forwardBusy: null,
  forwardNoAnswer: null,
  forwardUnavailable: null,
  noAnswerSeconds: 20,
});

export type CallSettingsPatch = Partial<CallSettings>;
