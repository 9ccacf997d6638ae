// Telling devices and portals about changes: a device whose configuration changed is sent
// `config-changed` (it then fetches the new version; until then the portal shows Pending update);
// portals get the device's new view and accounts' new SIP status.
import { LIVE_CLOSE } from '@switchboard/contracts';
import type { ApiContext } from '../context.ts';
import { toAccountViews } from '../accounts/account-view.ts';
import { toDeviceView } from '../devices/device-view.ts';

/** Pushes the current view of these devices to the tenant's portals. */
export async function publishDevices(
  ctx: ApiContext,
  tenantId: string,
  deviceIds: Iterable<string>,
): Promise<void> {
  if (!ctx.hub.hasTenantSubscribers(tenantId)) return;
  for (const id of deviceIds) {
    const device = await ctx.repos.devices.findById(tenantId, id);
    if (device) ctx.hub.publishTenant(tenantId, { type: 'device', device: toDeviceView(ctx, device) });
  }
}

/** Raises the configuration version of these devices and tells each (and the portals). */
export async function configChanged(
  ctx: ApiContext,
  tenantId: string,
  deviceIds: readonly string[],
): Promise<void> {
  if (deviceIds.length === 0) return;
  const versions = await ctx.repos.devices.bumpConfig(tenantId, deviceIds);
  announceVersions(ctx, versions);
  await publishDevices(ctx, tenantId, versions.keys());
}

export function announceVersions(ctx: ApiContext, versions: ReadonlyMap<string, number>): void {
  for (const [id, configVersion] of versions)
    ctx.hub.publishDevice(id, { type: 'config-changed', configVersion });
}

/** The device lost its credential: tell its app to sign out and close its channel. */
export function announceDeactivation(ctx: ApiContext, deviceId: string, reason: 'reset' | 'deleted'): void {
  ctx.hub.publishDevice(deviceId, { type: 'deactivated', reason });
  ctx.hub.disconnectDevice(deviceId, LIVE_CLOSE.deactivated, `device ${reason}`);
}

/** Pushes the SIP status of these accounts to the tenant's portals. */
export async function publishAccounts(
  ctx: ApiContext,
  tenantId: string,
  accountIds: readonly string[],
): Promise<void> {
  if (accountIds.length === 0 || !ctx.hub.hasTenantSubscribers(tenantId)) return;
  const builtIn = await ctx.repos.providers.getBuiltIn(tenantId);
  const accounts = [];
  for (const id of new Set(accountIds)) {
    const account = await ctx.repos.sipAccounts.findById(tenantId, id);
    if (account) accounts.push(account);
  }
  for (const view of await toAccountViews(ctx, tenantId, accounts, builtIn.id)) {
    ctx.hub.publishTenant(tenantId, {
      type: 'account',
      accountId: view.id,
      providerId: view.providerId,
      sipStatus: view.sipStatus,
    });
  }
}
