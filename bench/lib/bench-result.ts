// What every benchmark module returns to the runner (bench/run.ts). A module is a file
// `bench/<name>.ts` exporting `async function run(): Promise<BenchResult>`; the runner finds it by
// its file name, runs it, and prints the result as a table.

/** One cell of a result table: numbers are formatted by the runner, strings printed as given. */
export type BenchCell = string | number;

export interface BenchTable {
  /** Optional caption printed above the table (e.g. "INVITE with SDP, 1,247 bytes"). */
  readonly caption?: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly BenchCell[])[];
}

/** A goal stated in the issue, checked against the numbers just measured. */
export interface BenchGoal {
  /** The goal in words, e.g. "Switchboard parse+serialize ≥ 2× the fastest peer". */
  readonly description: string;
  readonly met: boolean;
  /** The measured figure behind the verdict, e.g. "INVITE: 3.4× sip.js". */
  readonly detail: string;
}

export interface BenchResult {
  /** The module name (file name without `.ts`). */
  readonly name: string;
  readonly title: string;
  readonly tables: readonly BenchTable[];
  readonly goals?: readonly BenchGoal[];
  /** How the numbers were obtained, caveats, peer versions: printed under the tables. */
  readonly notes?: readonly string[];
}

/** The shape of a benchmark module as the runner imports it. */
export interface BenchModule {
  run(): Promise<BenchResult>;
}
