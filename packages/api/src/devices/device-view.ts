// A device as the API shows it: status from activation and presence (heartbeat within the
// offline timeout, or an open live channel), sub-status from the instructions and config versions.
import type { Device as DeviceRow } from '@switchboard/db';
import type { Device, DeviceStatus, DeviceSubStatus } from '@switchboard/contracts';
import type { ApiContext } from '../context.ts';

export function isDeviceOnline(
  ctx: Pick<ApiContext, 'hub' | 'now' | 'deviceOfflineAfterMs'>,
  device: { id: string; activated: boolean; lastSeenAt: Date | null },
): boolean {
  if (!device.activated) return false;
  if (ctx.hub.isDeviceConnected(device.id)) return true;
  return device.lastSeenAt !== null && ctx.now() - device.lastSeenAt.getTime() < ctx.deviceOfflineAfterMs;
}

export function deviceStatus(
  ctx: Pick<ApiContext, 'hub' | 'now' | 'deviceOfflineAfterMs'>,
  d: DeviceRow,
): { status: DeviceStatus; subStatus: DeviceSubStatus } {
  if (d.activatedAt === null) {
    return { status: 'not_activated', subStatus: d.instructionsSentAt !== null ? 'instructions_sent' : null };
  }
  const online = isDeviceOnline(ctx, { id: d.id, activated: true, lastSeenAt: d.lastSeenAt });
  return {
    status: online ? 'online' : 'offline',
    subStatus: d.fetchedVersion < d.configVersion ? 'pending_update' : null,
  };
}

export function toDeviceView(
  ctx: Pick<ApiContext, 'hub' | 'now' | 'deviceOfflineAfterMs'>,
  d: DeviceRow,
): Device {
  return {
    id: d.id,
    contactId: d.contactId,
    name: d.name,
    accountIds: [...d.accountIds],
    os: d.os,
    appVersion: d.appVersion,
    ...deviceStatus(ctx, d),
    configVersion: d.configVersion,
    lastSeenAt: d.lastSeenAt?.toISOString() ?? null,
    activatedAt: d.activatedAt?.toISOString() ?? null,
    lines: d.lines.map((l) => ({ accountId: l.accountId, state: l.state })),
  };
}
