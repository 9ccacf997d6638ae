// A SIP account as the API shows it, with its live SIP status and who uses it. The password is
// never part of it (the response schema would drop it too).
import type { AccountAssignment, SipAccount as AccountRow } from '@switchboard/db';
import type { SipAccount, SipStatus } from '@switchboard/contracts';
import type { ApiContext } from '../context.ts';
import { isDeviceOnline } from '../devices/device-view.ts';

/**
 * Online / Offline / Not in use (seed semantics): not in use when no device has it; on the
 * built-in PBX online when the registrar has a binding; on other providers online when an
 * online device reports the line registered.
 */
export async function sipStatusOf(
  ctx: ApiContext,
  account: Pick<AccountRow, 'tenantId' | 'username'>,
  builtIn: boolean,
  assignments: readonly AccountAssignment[],
): Promise<SipStatus> {
  if (assignments.length === 0) return 'not_in_use';
  if (builtIn) {
    const registered = (await ctx.registrations?.isRegistered(account.tenantId, account.username)) ?? false;
    return registered ? 'online' : 'offline';
  }
  const online = assignments.some(
    (a) =>
      a.lineState === 'registered' &&
      isDeviceOnline(ctx, { id: a.deviceId, activated: a.activated, lastSeenAt: a.lastSeenAt }),
  );
  return online ? 'online' : 'offline';
}

/** Views of several accounts with one query for their assignments. */
export async function toAccountViews(
  ctx: ApiContext,
  tenantId: string,
  accounts: readonly AccountRow[],
  builtInProviderId: string,
): Promise<SipAccount[]> {
  const assignments =
    accounts.length === 0
      ? []
      : await ctx.repos.devices.assignments(
          tenantId,
          accounts.map((a) => a.id),
        );
  return Promise.all(
    accounts.map(async (a) => {
      const mine = assignments.filter((x) => x.accountId === a.id);
      return {
        id: a.id,
        providerId: a.providerId,
        name: a.name,
        manualPassword: a.manualPassword,
        username: a.username,
        protocol: a.protocol,
        pushProxy: a.pushProxy,
        authUsername: a.authUsername,
        displayName: a.displayName,
        dialingRules: a.dialingRules,
        hasPassword: a.hasPassword,
        sipStatus: await sipStatusOf(ctx, a, a.providerId === builtInProviderId, mine),
        pushStatus: a.pushProxy ? 'enabled' : 'disabled',
        assignedTo: mine.map((x) => ({
          deviceId: x.deviceId,
          deviceName: x.deviceName,
          contactId: x.contactId,
          contactName: x.contactName,
        })),
      };
    }),
  );
}
