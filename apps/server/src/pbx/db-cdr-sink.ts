// Call records from the PBX into the cdrs table. Writes are tracked so shutdown can wait for
// every one of them ("no CDR is lost").
//
// Records are written in batches: one writer at a time, and records that arrive while it writes
// go together in its next transaction (at most MAX_BATCH), so a busy PBX pays one commit for many
// calls instead of an INSERT and a read-back per call (bench/pbx-calls.ts). An idle PBX writes a
// record at once, alone. If a batch fails, its records are written one by one, so one bad record
// cannot take the others down with it.
import type { CdrRepository, NewCdr } from '@switchboard/db';
import type { CallRecord, CdrSink } from '@switchboard/pbx';

/** Most records in one transaction: a long transaction would hold up other queries. */
const MAX_BATCH = 100;

interface Queued {
  readonly record: CallRecord;
  readonly cdr: NewCdr;
  readonly done: () => void;
}

function toNewCdr(record: CallRecord): NewCdr {
  const sipStatus = /^\d{3}$/.test(record.hangupCause) ? Number(record.hangupCause) : null;
  return {
    id: record.id,
    tenantId: record.tenantId,
    direction: record.direction,
    caller: record.caller,
    callee: record.callee,
    dialled: record.dialled ?? null,
    divertedFrom: record.divertedFrom ?? [],
    startedAt: record.startedAt,
    answeredAt: record.disposition === 'answered' ? (record.answeredAt ?? null) : null,
    endedAt: record.endedAt,
    disposition: record.disposition,
    hangupCause: record.hangupCause,
    hangupSide: record.hangupSide,
    sipStatus,
    sipCallIds: record.sipCallIds,
    ...(record.trunkId !== undefined && { trunkId: record.trunkId }),
  };
}

export class DbCdrSink implements CdrSink {
  private readonly pending = new Set<Promise<unknown>>();
  private queue: Queued[] = [];
  private writing = false;

  constructor(
    private readonly cdrs: Pick<CdrRepository, 'insert' | 'insertMany'>,
    private readonly onError: (error: unknown, record: CallRecord) => void,
  ) {}

  /** Resolves once the record is stored (or has failed and been reported to onError). */
  write(record: CallRecord): Promise<void> {
    let done!: () => void;
    const written = new Promise<void>((resolve) => (done = resolve));
    this.queue.push({ record, cdr: toNewCdr(record), done });
    this.pending.add(written);
    void written.finally(() => this.pending.delete(written));
    if (!this.writing) void this.drain();
    return written;
  }

  /** Resolves when every record handed in so far is written (or has failed and been logged). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.slice(0, MAX_BATCH);
        this.queue = this.queue.slice(batch.length);
        await this.store(batch);
      }
    } finally {
      this.writing = false;
    }
  }

  private async store(batch: readonly Queued[]): Promise<void> {
    try {
      if (batch.length === 1) await this.cdrs.insert(batch[0]!.cdr);
      else await this.cdrs.insertMany(batch.map((q) => q.cdr));
    } catch (error) {
      if (batch.length === 1) this.report(batch[0]!, error);
      else
        for (const queued of batch)
          await this.cdrs.insert(queued.cdr).then(
            () => undefined,
            (e: unknown) => this.report(queued, e),
          );
    }
    for (const queued of batch) queued.done();
  }

  private report(queued: Queued, error: unknown): void {
    try {
      this.onError(error, queued.record);
    } catch {
      // A failing error handler must not stop the writer.
    }
  }
}
