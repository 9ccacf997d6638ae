// Change notifications from a PostgreSQL server (or from the embedded database shared over its
// socket): one dedicated connection that LISTENs on CHANGES_CHANNEL, outside the pool, so a
// busy pool never delays a notification and LISTEN is never lost to a pooled connection's reuse.
//
// When that connection drops (the server restarted, a network blip, pg_terminate_backend), it is
// opened again with backoff (100 ms doubling to 5 s). NOTIFY is not queued for a session that
// is gone, so once the new LISTEN is in place every listener is told to resync: whatever
// changed meanwhile was missed.
import pg from 'pg';
import { CHANGES_CHANNEL, ChangeFanout, LISTENER_APPLICATION_NAME } from '../changes/data-change.ts';

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

export interface ListenerOptions {
  /** Called when the listening connection fails (it reconnects by itself). */
  readonly onError?: (err: Error) => void;
}

class ListeningConnection {
  #client: pg.Client | undefined;
  #running = false;
  #retryMs = FIRST_RETRY_MS;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly fanout: () => ChangeFanout,
    private readonly options: ListenerOptions,
  ) {}

  async start(): Promise<void> {
    this.#running = true;
    try {
      await this.#connect();
    } catch (err) {
      this.#running = false;
      throw err;
    }
  }

  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ ...this.config, application_name: LISTENER_APPLICATION_NAME });
    client.on('notification', (message) => {
      if (message.channel === CHANGES_CHANNEL && message.payload !== undefined)
        this.fanout().notify(message.payload);
    });
    client.on('error', (err) => this.#lost(client, err));
    client.on('end', () => this.#lost(client, new Error('the listening connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    if (!this.#running) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
  }

  #lost(client: pg.Client, err: Error): void {
    if (client !== this.#client || !this.#running) return;
    this.#client = undefined;
    this.options.onError?.(err);
    void client.end().catch(() => undefined);
    this.#schedule();
  }

  #schedule(): void {
    const delay = this.#retryMs;
    this.#retryMs = Math.min(this.#retryMs * 2, MAX_RETRY_MS);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.#running) return;
      this.#connect().then(
        () => {
          if (!this.#running) return;
          this.#retryMs = FIRST_RETRY_MS;
          // LISTEN is in place again: anything that changed while we were away was missed.
          this.fanout().resync();
        },
        (reconnectErr: unknown) => {
          if (!this.#running) return;
          this.options.onError?.(
            reconnectErr instanceof Error ? reconnectErr : new Error(String(reconnectErr)),
          );
          this.#schedule();
        },
      );
    }, delay);
    this.#timer.unref();
  }
}

/** Notifications over a dedicated connection built from the pool's settings (its own, not pooled). */
export function postgresChanges(config: pg.PoolConfig, options: ListenerOptions = {}): ChangeFanout {
  // Pool-only settings (max, idleTimeoutMillis) mean nothing to one client.
  const connection = new ListeningConnection(config, () => fanout, options);
  const fanout: ChangeFanout = new ChangeFanout(
    () => connection.start(),
    () => connection.stop(),
  );
  return fanout;
}
