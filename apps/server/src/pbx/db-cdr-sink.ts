// Call records from the PBX into the cdrs table. Writes are tracked so shutdown can wait for
// every one of them ("no CDR is lost").
import type { CdrRepository } from '@switchboard/db';
import type { CallRecord, CdrSink } from '@switchboard/pbx';

export class DbCdrSink implements CdrSink {
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly cdrs: CdrRepository,
    private readonly onError: (error: unknown, record: CallRecord) => void,
  ) {}

  write(record: CallRecord): Promise<void> {
    const sipStatus = /^\d{3}$/.test(record.hangupCause) ? Number(record.hangupCause) : null;
    const write = this.cdrs
      .insert({
        id: record.id,
        tenantId: record.tenantId,
        direction: record.direction,
        caller: record.caller,
        callee: record.callee,
        startedAt: record.startedAt,
        answeredAt: record.disposition === 'answered' ? (record.answeredAt ?? null) : null,
        endedAt: record.endedAt,
        disposition: record.disposition,
        hangupCause: record.hangupCause,
        hangupSide: record.hangupSide,
        sipStatus,
        sipCallIds: record.sipCallIds,
      })
      .then(
        () => undefined,
        (error: unknown) => this.onError(error, record),
      );
    this.pending.add(write);
    void write.finally(() => this.pending.delete(write));
    return write;
  }

  /** Resolves when every record handed in so far is written (or has failed and been logged). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
