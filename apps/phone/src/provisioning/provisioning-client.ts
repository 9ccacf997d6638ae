// The device side of provisioning (docs/api.md, "Provisioning"): activation with a code, the
// configuration by version (ETag), heartbeats, line registration reports, and the live channel
// that says when the configuration changed or the device was deactivated (its code reset).
import type {
  ActivateResponse,
  DeviceClientMessage,
  DeviceConfig,
  DeviceLiveMessage,
  HeartbeatResponse,
  LineReport,
} from '@switchboard/contracts';
import { LIVE_CLOSE } from '@switchboard/contracts';
import type { AppLog } from '../log/app-log.ts';

export class ProvisioningError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ProvisioningError';
  }
}

async function failure(response: Response): Promise<ProvisioningError> {
  const body = (await response.json().catch(() => undefined)) as
    { error?: { code?: string; message?: string; retryAfterSeconds?: number } } | undefined;
  return new ProvisioningError(
    response.status,
    body?.error?.code ?? 'http_' + response.status,
    body?.error?.message ?? response.statusText,
    body?.error?.retryAfterSeconds,
  );
}

/** The code inside whatever was typed, pasted or scanned: a bare code or a click-to-activate link. */
export function extractActivationCode(input: string): string {
  const text = input.trim();
  try {
    const url = new URL(text);
    const code = url.searchParams.get('activate');
    if (code) return code.trim();
  } catch {
    // not a URL: a code
  }
  return text;
}

/** POST /provisioning/activate. */
export async function activateDevice(
  apiBase: string,
  code: string,
  os: string,
  appVersion: string,
): Promise<ActivateResponse> {
  const response = await fetch(`${apiBase}/api/v1/provisioning/activate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: extractActivationCode(code), os, appVersion }),
  });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as ActivateResponse;
}

export interface ProvisioningDelegate {
  /** A new configuration (after a change in the portal). */
  onConfig(config: DeviceConfig): void;
  /** The device was reset or deleted: sign out. */
  onDeactivated(reason: string): void;
  /** The live channel opened or closed (the UI may show it). */
  onLive?(connected: boolean): void;
}

const RECONNECT_MAX_MS = 30_000;

export class ProvisioningClient {
  private config: DeviceConfig;
  private heartbeatTimer: ReturnType<typeof setTimeout> | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private reconnectDelay = 1_000;
  private socket: WebSocket | undefined;
  private stopped = false;
  private lastLines = '';

  constructor(
    private readonly apiBase: string,
    private readonly token: string,
    config: DeviceConfig,
    private readonly appVersion: string,
    private readonly delegate: ProvisioningDelegate,
    private readonly log: AppLog,
  ) {
    this.config = config;
  }

  start(): void {
    this.stopped = false;
    this.openLive();
    void this.heartbeat();
    // Catch up with changes made while the app was closed.
    void this.fetchConfig().catch((error: unknown) => this.onError('config fetch failed', error));
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.heartbeatTimer);
    clearTimeout(this.reconnectTimer);
    this.socket?.close(1000);
    this.socket = undefined;
  }

  /** GET /provisioning/config with If-None-Match; calls onConfig when it changed. */
  async fetchConfig(): Promise<void> {
    const response = await this.request('GET', '/api/v1/provisioning/config', undefined, {
      'if-none-match': `"v${this.config.version}"`,
    });
    if (response.status === 304) return;
    const config = (await response.json()) as DeviceConfig;
    if (config.version !== this.config.version || JSON.stringify(config) !== JSON.stringify(this.config)) {
      this.config = config;
      this.log.info('provisioning', 'new configuration', { version: config.version });
      this.delegate.onConfig(config);
    }
  }

  /** POST /provisioning/lines — only when something changed. */
  async reportLines(lines: readonly LineReport[]): Promise<void> {
    const key = JSON.stringify(lines);
    if (key === this.lastLines) return;
    this.lastLines = key;
    try {
      await this.request('POST', '/api/v1/provisioning/lines', { lines });
    } catch (error) {
      this.lastLines = '';
      this.onError('line report failed', error);
    }
  }

  private async heartbeat(): Promise<void> {
    clearTimeout(this.heartbeatTimer);
    if (this.stopped) return;
    let interval = this.config.heartbeatIntervalSeconds;
    try {
      const response = await this.request('POST', '/api/v1/provisioning/heartbeat', {
        appVersion: this.appVersion,
      });
      const body = (await response.json()) as HeartbeatResponse;
      interval = body.heartbeatIntervalSeconds;
      if (body.configVersion !== this.config.version) await this.fetchConfig();
    } catch (error) {
      this.onError('heartbeat failed', error);
    }
    if (!this.stopped)
      this.heartbeatTimer = setTimeout(() => void this.heartbeat(), Math.max(5, interval) * 1000);
  }

  private async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const response = await fetch(`${this.apiBase}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      cache: 'no-store',
    });
    if (response.status === 304 || response.ok) return response;
    const error = await failure(response);
    if (error.code === 'device_deactivated') this.deactivated('deactivated');
    throw error;
  }

  private onError(message: string, error: unknown): void {
    if (this.stopped) return;
    this.log.warn('provisioning', message, { error: String(error) });
  }

  private deactivated(reason: string): void {
    if (this.stopped) return;
    this.log.warn('provisioning', 'device deactivated', { reason });
    this.stop();
    this.delegate.onDeactivated(reason);
  }

  private openLive(): void {
    if (this.stopped) return;
    const url = new URL('/api/v1/provisioning/live', this.apiBase);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      const auth: DeviceClientMessage = { type: 'auth', token: this.token };
      socket.send(JSON.stringify(auth));
    };
    socket.onmessage = (event: MessageEvent<string>) => {
      let message: DeviceLiveMessage;
      try {
        message = JSON.parse(event.data) as DeviceLiveMessage;
      } catch {
        return;
      }
      switch (message.type) {
        case 'hello':
          this.reconnectDelay = 1_000;
          this.delegate.onLive?.(true);
          if (message.configVersion !== this.config.version)
            void this.fetchConfig().catch((error: unknown) => this.onError('config fetch failed', error));
          return;
        case 'config-changed':
          void this.fetchConfig().catch((error: unknown) => this.onError('config fetch failed', error));
          return;
        case 'deactivated':
          this.deactivated(message.reason);
          return;
      }
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.delegate.onLive?.(false);
      if (event.code === LIVE_CLOSE.deactivated || event.code === LIVE_CLOSE.unauthenticated) {
        this.deactivated(event.code === LIVE_CLOSE.deactivated ? 'reset' : 'revoked');
        return;
      }
      if (this.stopped) return;
      this.reconnectTimer = setTimeout(() => this.openLive(), this.reconnectDelay);
      this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
    };
  }

  /** Sends the line states over the live channel too, when it is open (cheaper than HTTP). */
  sendLive(message: DeviceClientMessage): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }
}
