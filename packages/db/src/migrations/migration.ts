/** One schema change. Versions are 1, 2, 3, … with no gaps; applied ones are never edited. */
export interface Migration {
  readonly version: number;
  /** Short kebab-case description, also the file name after the number. */
  readonly name: string;
  /** PostgreSQL statements, run in one transaction. */
  readonly sql: string;
}
