// Messages on the two live channels (WebSocket, JSON text frames).
import type { SipStatus } from './schemas/providers.ts';
import type { Device } from './schemas/devices.ts';

/** Portal channel `/api/v1/live` (session cookie or bearer token): server → portal. */
export type PortalLiveMessage =
  | { readonly type: 'hello'; readonly tenantId: string }
  | { readonly type: 'device'; readonly device: Device }
  | { readonly type: 'device-deleted'; readonly deviceId: string }
  | {
      readonly type: 'account';
      readonly accountId: string;
      readonly providerId: string;
      readonly sipStatus: SipStatus;
    };

/** Device channel `/api/v1/provisioning/live`: server → device. */
export type DeviceLiveMessage =
  | { readonly type: 'hello'; readonly configVersion: number; readonly heartbeatIntervalSeconds: number }
  /** A new configuration is ready: GET /api/v1/provisioning/config. */
  | { readonly type: 'config-changed'; readonly configVersion: number }
  /** The device was reset or deleted: sign out; the credential no longer works. */
  | { readonly type: 'deactivated'; readonly reason: 'reset' | 'deleted' };

/** Device channel: device → server. The first message must be `auth` unless the upgrade carried `Authorization`. */
export type DeviceClientMessage =
  | { readonly type: 'auth'; readonly token: string }
  | { readonly type: 'heartbeat' }
  | {
      readonly type: 'lines';
      readonly lines: readonly { accountId: string; state: 'registered' | 'unregistered' | 'failed' }[];
    };

/** WebSocket close codes the server uses. */
export const LIVE_CLOSE = {
  /** Not authenticated (bad or missing credential). */
  unauthenticated: 4401,
  /** The device was deactivated (reset or deleted). */
  deactivated: 4403,
} as const;
