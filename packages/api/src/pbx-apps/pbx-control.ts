// What the API needs from the running PBX for its own applications: live conferences, live
// calls' recording, voicemail change notices (MWI), and the audio files in DATA_DIR. Declared
// here so the API never depends on the PBX package; the server implements it.

export interface ConferenceParticipantView {
  readonly id: string;
  readonly extension: string;
  readonly name: string;
  readonly owner: boolean;
  readonly muted: boolean;
  readonly held: boolean;
  readonly joinedAt: string;
}

export interface ConferenceRoomView {
  readonly room: string;
  readonly owner: string | undefined;
  readonly startedAt: string;
  readonly participants: readonly ConferenceParticipantView[];
}

export type ParticipantAction = 'mute' | 'unmute' | 'hold' | 'resume' | 'remove';
export type RoomAction = 'mute' | 'unmute' | 'hold' | 'resume' | 'end';

export interface LiveCallView {
  readonly callId: string;
  readonly caller: string;
  readonly callee: string;
  readonly recording: boolean;
}

export interface PbxControl {
  readonly conferences: {
    list(tenantId: string): ConferenceRoomView[];
    get(tenantId: string, room: string): ConferenceRoomView | undefined;
    /** Calls `extension` into `room` (opening it when needed); resolves when it answered or failed. */
    invite(
      tenantId: string,
      room: string,
      extension: string,
    ): Promise<{ ok: true; participant: string } | { ok: false; status: number; reason: string }>;
    participant(
      tenantId: string,
      room: string,
      participant: string,
      action: ParticipantAction,
    ): Promise<boolean>;
    room(tenantId: string, room: string, action: RoomAction): Promise<boolean>;
  };
  readonly recordings: {
    liveCalls(tenantId: string): LiveCallView[];
    /** Starts or stops recording a live call; undefined when there is no such call. */
    set(tenantId: string, callId: string, on: boolean): Promise<boolean | undefined>;
  };
  /** A mailbox's messages changed outside the PBX (the API deleted one): tell its phones (MWI). */
  voicemailChanged(tenantId: string, extension: string): void;
  /** An audio file under DATA_DIR (a path stored in the database); undefined when it is gone. */
  readFile(relative: string): Promise<Uint8Array | undefined>;
  removeFile(relative: string): Promise<void>;
}
