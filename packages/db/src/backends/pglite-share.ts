// Lets other processes use an embedded database while its owner runs: the owner (say, the
// server) listens on a unix socket in DATA_DIR and speaks the PostgreSQL wire protocol there
// (PostgreSQL Frontend/Backend Protocol 3.0), passing each complete message to PGlite. A
// second process (say, `switchboard extension add`) connects with node-postgres.
//
// PGlite is one session, so clients take turns with the owner: a client holds PGlite's locks
// from its first message until PGlite reports ReadyForQuery "idle" (so a client transaction is
// never interleaved with the owner's queries, nor the owner's transactions with the client's),
// and the owner waits meanwhile. A client that vanishes mid-transaction is rolled back; one
// that stays silent in a transaction for IDLE_IN_TRANSACTION_MS is disconnected.
//
// LISTEN/NOTIFY: PGlite's one session hears every notification, in the reply to whichever
// exchange committed the change. Those are taken out of clients' replies and sent instead to
// each client that has run `LISTEN <channel>` (Simple Query), as PostgreSQL would send them.
// NOTE: a client's UNLISTEN would silence the shared session for the owner too; our own
// clients never send one (they close the connection), so it is not intercepted.
import { chmodSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

/** Socket file name node-postgres derives from host=<dir>, port=5432. */
export const SHARE_SOCKET = '.s.PGSQL.5432';
export const SHARE_PORT = 5432;
/** Unix socket paths longer than this do not fit sockaddr_un on Linux. */
export const MAX_SOCKET_PATH = 107;
const IDLE_IN_TRANSACTION_MS = 60_000;

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const TERMINATE = 0x58; // 'X'
const READY_FOR_QUERY = 0x5a; // 'Z'
const NOTIFICATION_RESPONSE = 0x41; // 'A'
const SIMPLE_QUERY = 0x51; // 'Q'
const LISTEN = /^\s*listen\s+("?)([a-z_][a-z0-9_$]*)\1\s*;?\s*$/i;
const IDLE = 0x49; // 'I'
/** Simple Query "ROLLBACK": sent for a client that left inside a transaction. */
const ROLLBACK = ((): Uint8Array => {
  const sql = Buffer.from('ROLLBACK\0', 'utf8');
  const msg = Buffer.alloc(5 + sql.length);
  msg[0] = 0x51; // 'Q'
  msg.writeInt32BE(4 + sql.length, 1);
  sql.copy(msg, 5);
  return new Uint8Array(msg);
})();

/** The status byte of the last ReadyForQuery in a backend reply, if it holds one. */
function lastReadyStatus(reply: Uint8Array): number | undefined {
  let status: number | undefined;
  let i = 0;
  while (i + 5 <= reply.length) {
    const length =
      ((reply[i + 1]! << 24) | (reply[i + 2]! << 16) | (reply[i + 3]! << 8) | reply[i + 4]!) >>> 0;
    if (reply[i] === READY_FOR_QUERY && i + 5 < reply.length) status = reply[i + 5];
    i += 1 + length;
  }
  return status;
}

/** The reply without its NotificationResponse messages (they go to listening clients instead). */
function withoutNotifications(reply: Uint8Array): Uint8Array {
  const kept: Uint8Array[] = [];
  let i = 0;
  let dropped = false;
  while (i + 5 <= reply.length) {
    const length =
      ((reply[i + 1]! << 24) | (reply[i + 2]! << 16) | (reply[i + 3]! << 8) | reply[i + 4]!) >>> 0;
    const end = Math.min(reply.length, i + 1 + length);
    if (reply[i] === NOTIFICATION_RESPONSE) dropped = true;
    else kept.push(reply.subarray(i, end));
    i = end;
  }
  if (!dropped) return reply;
  if (i < reply.length) kept.push(reply.subarray(i));
  return new Uint8Array(Buffer.concat(kept));
}

/** NotificationResponse (PostgreSQL protocol 3.0, §55.7): 'A', length, pid, channel, payload. */
function notificationMessage(channel: string, payload: string): Buffer {
  const body = Buffer.from(`${channel}\0${payload}\0`, 'utf8');
  const msg = Buffer.alloc(1 + 4 + 4 + body.length);
  msg[0] = NOTIFICATION_RESPONSE;
  msg.writeInt32BE(4 + 4 + body.length, 1);
  msg.writeInt32BE(0, 5);
  body.copy(msg, 9);
  return msg;
}

/** The channel of a Simple Query `LISTEN name`, lower-cased as PostgreSQL folds it (unquoted). */
function listenChannel(message: Buffer): string | undefined {
  if (message[0] !== SIMPLE_QUERY) return undefined;
  const match = LISTEN.exec(message.toString('utf8', 5, message.length - 1));
  if (!match) return undefined;
  return match[1] === '"' ? match[2] : match[2]!.toLowerCase();
}

class ClientConnection {
  readonly #channels = new Set<string>();
  #buffer = Buffer.alloc(0);
  #started = false;
  #queue: Promise<void> = Promise.resolve();
  #release: (() => void) | undefined;
  #inTransaction = false;

  constructor(
    private readonly pg: PGlite,
    private readonly socket: Socket,
  ) {
    socket.setTimeout(IDLE_IN_TRANSACTION_MS);
    socket.on('timeout', () => {
      if (this.#inTransaction) socket.destroy();
    });
    socket.on('data', (chunk) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#queue = this.#queue
        .then(() => this.#pump())
        .catch(() => {
          socket.destroy();
        });
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.#queue = this.#queue.then(() => this.#finish());
    });
  }

  /** Splits off the complete messages in the buffer (answering SSL/GSS requests itself). */
  #takeMessages(): Buffer[] {
    const messages: Buffer[] = [];
    for (;;) {
      if (!this.#started) {
        if (this.#buffer.length < 8) break;
        const length = this.#buffer.readInt32BE(0);
        if (this.#buffer.length < length) break;
        const code = this.#buffer.readInt32BE(4);
        const message = this.#buffer.subarray(0, length);
        this.#buffer = this.#buffer.subarray(length);
        if (code === SSL_REQUEST || code === GSS_REQUEST) {
          this.socket.write('N'); // no encryption on a local socket; the client goes on in clear
          continue;
        }
        if (code === CANCEL_REQUEST) {
          this.socket.destroy();
          return [];
        }
        this.#started = true;
        messages.push(message);
        continue;
      }
      if (this.#buffer.length < 5) break;
      const length = this.#buffer.readInt32BE(1);
      if (this.#buffer.length < length + 1) break;
      const message = this.#buffer.subarray(0, length + 1);
      this.#buffer = this.#buffer.subarray(length + 1);
      // Terminate ends this client, not PGlite's one session.
      if (message[0] === TERMINATE) {
        this.socket.end();
        break;
      }
      const channel = listenChannel(message);
      if (channel !== undefined) this.#channels.add(channel);
      messages.push(message);
    }
    return messages;
  }

  async #pump(): Promise<void> {
    const messages = this.#takeMessages();
    if (messages.length === 0) return;
    if (!this.#release) await this.#acquire();
    const reply = withoutNotifications(
      await this.pg.execProtocolRaw(new Uint8Array(Buffer.concat(messages))),
    );
    if (reply.length > 0 && this.socket.writable) this.socket.write(reply);
    const status = lastReadyStatus(reply);
    if (status !== undefined) this.#inTransaction = status !== IDLE;
    if (status === IDLE) this.#releaseLocks();
  }

  /** Takes PGlite's transaction and query locks, as its own transaction() and query() do. */
  #acquire(): Promise<void> {
    return new Promise((acquired) => {
      void this.pg._runExclusiveTransaction(() =>
        this.pg._runExclusiveQuery(
          () =>
            new Promise<void>((release) => {
              this.#release = release;
              acquired();
            }),
        ),
      );
    });
  }

  #releaseLocks(): void {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  async #finish(): Promise<void> {
    if (this.#inTransaction) {
      if (!this.#release) await this.#acquire();
      await this.pg.execProtocolRaw(ROLLBACK).catch(() => undefined);
      this.#inTransaction = false;
    }
    this.#releaseLocks();
  }

  /** Sends a notification the shared session heard, if this client listens on its channel. */
  notify(channel: string, payload: string): void {
    if (this.#channels.has(channel) && this.socket.writable)
      this.socket.write(notificationMessage(channel, payload));
  }

  close(): void {
    this.socket.destroy();
  }
}

export interface PgliteShare {
  readonly socketPath: string;
  close(): Promise<void>;
}

/** Serves `pg` on `${dir}/.s.PGSQL.5432` (owner only: mode 0600). Call with DATA_DIR's lock held. */
export async function sharePglite(pg: PGlite, dir: string): Promise<PgliteShare | undefined> {
  const socketPath = `${dir}/${SHARE_SOCKET}`;
  if (socketPath.length > MAX_SOCKET_PATH) return undefined;
  try {
    unlinkSync(socketPath); // left by an owner that died; we hold the lock now
  } catch {
    // none
  }
  const clients = new Set<ClientConnection>();
  const stopForwarding = pg.onNotification((channel, payload) => {
    for (const client of clients) client.notify(channel, payload);
  });
  const server: Server = createServer((socket) => {
    const client = new ClientConnection(pg, socket);
    clients.add(client);
    socket.on('close', () => clients.delete(client));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  chmodSync(socketPath, 0o600);
  return {
    socketPath,
    async close() {
      stopForwarding();
      for (const client of clients) client.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
