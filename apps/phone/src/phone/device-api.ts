// Requests to the device-scoped API (`/api/v1/provisioning/...`) with the device token: the
// PBX services of the user's lines (call settings, history, voicemail, recordings). Audio comes
// back as a blob: an <audio> element cannot send the Authorization header itself.

export class DeviceApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DeviceApiError';
  }
}

export class DeviceApi {
  constructor(
    private readonly origin: string,
    private readonly token: () => string | undefined,
  ) {}

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.fetch(method, path, body);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  /** The bytes at `url` (an `audioUrl` the API gave) as an object URL for <audio>. */
  async objectUrl(url: string): Promise<string> {
    const response = await this.fetch('GET', url.replace(/^\/api\/v1/, ''));
    return URL.createObjectURL(await response.blob());
  }

  private async fetch(method: string, path: string, body?: unknown): Promise<Response> {
    const token = this.token();
    if (!token) throw new DeviceApiError(401, 'device_deactivated', 'not activated');
    const response = await fetch(`${this.origin}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      cache: 'no-store',
    });
    if (response.ok) return response;
    const error = (await response.json().catch(() => undefined)) as
      { error?: { code?: string; message?: string } } | undefined;
    throw new DeviceApiError(
      response.status,
      error?.error?.code ?? `http_${response.status}`,
      error?.error?.message ?? response.statusText,
    );
  }
}
