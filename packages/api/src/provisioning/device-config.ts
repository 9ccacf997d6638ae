// The configuration a device receives: per line, where and how to register, and the password
// unless it is entered manually on the device.
import type { DeviceConfig, ProvisionedAccount } from '@switchboard/contracts';
import type { Device } from '@switchboard/db';
import { DEFAULT_FEATURE_CODES, featureCodeMap } from '@switchboard/pbx';
import type { ApiContext } from '../context.ts';

export async function buildDeviceConfig(ctx: ApiContext, device: Device): Promise<DeviceConfig> {
  const { repos } = ctx;
  const tenant = await repos.tenants.findById(device.tenantId);
  const accounts: ProvisionedAccount[] = [];
  for (const accountId of device.accountIds) {
    const account = await repos.sipAccounts.findById(device.tenantId, accountId);
    const provider = account && (await repos.providers.findById(device.tenantId, account.providerId));
    if (!account || !provider) continue;
    const password = account.manualPassword
      ? null
      : await repos.sipAccounts.revealPassword(device.tenantId, account.id);
    accounts.push({
      id: account.id,
      name: account.name,
      server: provider.builtIn ? ctx.sip.host() : (provider.host ?? ''),
      port: provider.builtIn ? ctx.sip.port() : provider.port,
      transport: account.protocol,
      proxy: provider.builtIn ? null : provider.proxy,
      domain: provider.builtIn ? (tenant?.sipDomain ?? ctx.sip.host()) : (provider.host ?? ''),
      username: account.username,
      authUsername: account.authUsername ?? account.username,
      displayName: account.displayName,
      dialingRules: account.dialingRules,
      manualPassword: account.manualPassword,
      ...(password !== null ? { password } : {}),
      pushProxy: account.pushProxy,
      builtIn: provider.builtIn,
      websocketUrl: provider.builtIn ? `${ctx.publicUrl().replace(/^http/, 'ws')}/sip` : null,
    });
  }
  return {
    version: device.configVersion,
    device: { id: device.id, name: device.name },
    heartbeatIntervalSeconds: ctx.heartbeatIntervalSeconds,
    accounts,
    // The organisation's support address, else its owner's e-mail.
    supportEmail: (await repos.users.supportEmail(device.tenantId)) ?? null,
    featureCodes: await featureCodesOf(ctx, device.tenantId),
  };
}

/** Every feature's code in this organisation: its own where it changed one, else the default. */
async function featureCodesOf(ctx: ApiContext, tenantId: string): Promise<Record<string, string>> {
  const own = featureCodeMap(await ctx.repos.featureCodes.list(tenantId));
  return Object.fromEntries(DEFAULT_FEATURE_CODES.map((d) => [d.feature, (own.get(d.feature) ?? d).code]));
}

export const etagOf = (version: number): string => `"v${version}"`;
