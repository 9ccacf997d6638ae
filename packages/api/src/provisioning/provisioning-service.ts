// The device side: activation with a code (single use; guessing is rate-limited per address),
// configuration by version, heartbeats (presence) and line registration reports.
import type { ActivateResponse, DeviceConfig, LineReport } from '@switchboard/contracts';
import type { Device } from '@switchboard/db';
import type { ApiContext } from '../context.ts';
import { ApiError } from '../errors/api-error.ts';
import { audit } from '../audit/audit.ts';
import { DEVICE_TOKEN_PREFIX } from '../auth/authenticate.ts';
import { newToken, normaliseActivationCode, sha256 } from '../auth/secrets.ts';
import { isDeviceOnline } from '../devices/device-view.ts';
import { publishAccounts, publishDevices } from '../live/notify.ts';
import { buildDeviceConfig } from './device-config.ts';

export class ProvisioningService {
  constructor(private readonly ctx: ApiContext) {}

  async activate(
    input: { code: string; os: string; appVersion: string },
    ip: string,
  ): Promise<ActivateResponse> {
    const limiter = this.ctx.limits.activationAddress;
    const now = this.ctx.now();
    const wait = limiter.blockedFor(ip, now);
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      throw new ApiError(
        'rate_limited',
        `too many wrong activation codes from your address; try again in ${Math.ceil(seconds / 60)} minute(s)`,
        [],
        seconds,
      );
    }
    const fail = (error: ApiError): never => {
      limiter.fail(ip, now);
      throw error;
    };
    const code = normaliseActivationCode(input.code);
    if (code === undefined) {
      fail(
        new ApiError(
          'activation_code_unknown',
          'this is not an activation code: it has 16 letters and digits, like ABCD-EFGH-JKMN-PQRS',
          [{ field: 'code', message: 'is malformed' }],
        ),
      );
    }
    const record = await this.ctx.repos.activationCodes.lookup(code!);
    if (!record)
      fail(
        new ApiError(
          'activation_code_unknown',
          'no device has this activation code; check it, or ask your administrator for a new one',
          [{ field: 'code', message: 'is unknown' }],
        ),
      );
    if (record!.state === 'used')
      fail(
        new ApiError(
          'activation_code_used',
          'this activation code was already used; ask your administrator to reset it',
          [{ field: 'code', message: 'was already used' }],
        ),
      );
    if (record!.state === 'replaced')
      fail(
        new ApiError(
          'activation_code_replaced',
          'this activation code was replaced by a newer one; use the code from the latest instructions',
          [{ field: 'code', message: 'was replaced' }],
        ),
      );
    if (!(await this.ctx.repos.activationCodes.markUsed(code!))) {
      fail(
        new ApiError(
          'activation_code_used',
          'this activation code was already used; ask your administrator to reset it',
          [{ field: 'code', message: 'was already used' }],
        ),
      );
    }
    const token = newToken(DEVICE_TOKEN_PREFIX);
    const device = await this.ctx.repos.devices.activate(record!.deviceId, {
      tokenHash: sha256(token),
      os: input.os.trim(),
      appVersion: input.appVersion.trim(),
      now: new Date(now),
    });
    const config = await buildDeviceConfig(this.ctx, device);
    await this.ctx.repos.devices.markFetched(device.id, config.version, new Date(now));
    await audit(
      this.ctx,
      { tenantId: device.tenantId, label: `device "${device.name}"`, ip },
      'device.activate',
      { type: 'device', id: device.id },
      {
        os: input.os,
        appVersion: input.appVersion,
      },
    );
    await publishDevices(this.ctx, device.tenantId, [device.id]);
    await publishAccounts(this.ctx, device.tenantId, device.accountIds);
    return { deviceToken: token, config };
  }

  /** The current configuration; fetching it clears Pending update. */
  async config(device: Device): Promise<DeviceConfig> {
    const config = await buildDeviceConfig(this.ctx, device);
    await this.fetched(device, config.version);
    return config;
  }

  /** Records that the device has `version` (a 304 on If-None-Match counts too). */
  async fetched(device: Device, version: number): Promise<void> {
    const wasOnline = isDeviceOnline(this.ctx, {
      id: device.id,
      activated: true,
      lastSeenAt: device.lastSeenAt,
    });
    await this.ctx.repos.devices.markFetched(device.id, version, new Date(this.ctx.now()));
    if (device.fetchedVersion < version || !wasOnline)
      await publishDevices(this.ctx, device.tenantId, [device.id]);
    if (!wasOnline) await publishAccounts(this.ctx, device.tenantId, device.accountIds);
  }

  async heartbeat(
    device: Device,
    appVersion?: string,
  ): Promise<{ configVersion: number; heartbeatIntervalSeconds: number }> {
    const wasOnline = isDeviceOnline(this.ctx, {
      id: device.id,
      activated: true,
      lastSeenAt: device.lastSeenAt,
    });
    await this.ctx.repos.devices.touch(device.id, new Date(this.ctx.now()), appVersion);
    if (!wasOnline || (appVersion !== undefined && appVersion !== device.appVersion)) {
      await publishDevices(this.ctx, device.tenantId, [device.id]);
      await publishAccounts(this.ctx, device.tenantId, device.accountIds);
    }
    return {
      configVersion: device.configVersion,
      heartbeatIntervalSeconds: this.ctx.heartbeatIntervalSeconds,
    };
  }

  async lines(device: Device, lines: readonly LineReport[]): Promise<void> {
    const mine = new Set(device.accountIds);
    const unknown = lines.flatMap((l, index) =>
      mine.has(l.accountId)
        ? []
        : [{ field: `lines[${index}].accountId`, index, message: 'is not a line of this device' }],
    );
    if (unknown.length > 0)
      throw new ApiError('validation_failed', 'report only the lines of this device', unknown);
    const now = new Date(this.ctx.now());
    await this.ctx.repos.devices.reportLines(device.id, lines, now);
    await this.ctx.repos.devices.touch(device.id, now);
    await publishDevices(this.ctx, device.tenantId, [device.id]);
    await publishAccounts(
      this.ctx,
      device.tenantId,
      lines.map((l) => l.accountId),
    );
  }
}
