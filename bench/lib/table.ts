// Renders benchmark tables as aligned plain text (terminal) or GitHub Markdown (docs).
import type { BenchCell, BenchTable } from './bench-result.ts';

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Formats a number for a table: grouped integers, fewer decimals as magnitude grows. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (Number.isInteger(value) || magnitude >= 100) return grouped.format(value);
  if (magnitude >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function cellText(cell: BenchCell): string {
  return typeof cell === 'number' ? formatNumber(cell) : cell;
}

/** A column is right-aligned when every cell in it is a number or starts like one. */
function numericColumns(table: BenchTable): boolean[] {
  return table.columns.map((_, col) =>
    table.rows.every((row) => {
      const cell = row[col];
      return typeof cell === 'number' || (typeof cell === 'string' && /^[±×\d.,\-–% ]+[×%]?$/.test(cell));
    }),
  );
}

export function renderText(table: BenchTable): string {
  const cells = table.rows.map((row) => row.map(cellText));
  const numeric = numericColumns(table);
  const widths = table.columns.map((title, col) =>
    Math.max(title.length, ...cells.map((row) => (row[col] ?? '').length)),
  );
  const line = (row: readonly string[]): string =>
    row
      .map((text, col) => (numeric[col] ? text.padStart(widths[col]!) : text.padEnd(widths[col]!)))
      .join('  ')
      .trimEnd();
  const out: string[] = [];
  if (table.caption) out.push(table.caption);
  out.push(line(table.columns), widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of cells) out.push(line(row));
  return out.join('\n');
}

export function renderMarkdown(table: BenchTable): string {
  const numeric = numericColumns(table);
  const escape = (text: string): string => text.replace(/\|/g, '\\|');
  const out: string[] = [];
  if (table.caption) out.push(`**${escape(table.caption)}**`, '');
  out.push(`| ${table.columns.map(escape).join(' | ')} |`);
  out.push(`| ${numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |`);
  for (const row of table.rows) out.push(`| ${row.map((c) => escape(cellText(c))).join(' | ')} |`);
  return out.join('\n');
}
