// The device model: one softphone installation of a contact, with 1-4 ordered SIP accounts.
export type LineState = 'registered' | 'unregistered' | 'failed';

export interface DeviceLine {
  readonly accountId: string;
  /** What the device last reported for this line; null before any report. */
  readonly state: LineState | null;
  readonly reportedAt: Date | null;
}

export interface Device {
  readonly id: string;
  readonly tenantId: string;
  readonly contactId: string;
  readonly name: string;
  /** In line order (line 1 first). */
  readonly accountIds: readonly string[];
  readonly lines: readonly DeviceLine[];
  readonly os: string | null;
  readonly appVersion: string | null;
  /** Non-null while the device holds a valid credential. */
  readonly activatedAt: Date | null;
  readonly instructionsSentAt: Date | null;
  readonly instructionsSentTo: string | null;
  readonly configVersion: number;
  readonly fetchedVersion: number;
  readonly lastSeenAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** One device using one account: what "assigned to" and the SIP status of an account need. */
export interface AccountAssignment {
  readonly accountId: string;
  readonly deviceId: string;
  readonly deviceName: string;
  readonly contactId: string;
  readonly contactName: string;
  readonly activated: boolean;
  readonly lastSeenAt: Date | null;
  readonly lineState: LineState | null;
}
