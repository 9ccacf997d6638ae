// Facts about the machine a benchmark ran on, printed with every run so recorded numbers can be
// compared with the hardware they came from.
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

export interface MachineFacts {
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  readonly date: string;
  /** 1-minute load average when the run started: other work on the machine skews results. */
  readonly loadAverage: number;
}

/** The CPU model as /proc/cpuinfo names it (falls back to os.cpus() off Linux). */
function cpuModel(): string {
  try {
    const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
    const line = /^model name\s*:\s*(.+)$/m.exec(cpuinfo);
    if (line?.[1]) return line[1].trim();
  } catch {
    // not Linux: os.cpus() below
  }
  return cpus()[0]?.model ?? 'unknown';
}

export function machineFacts(now: Date = new Date()): MachineFacts {
  return {
    cpuModel: cpuModel(),
    cpuCount: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${process.arch}`,
    date: now.toISOString(),
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}
