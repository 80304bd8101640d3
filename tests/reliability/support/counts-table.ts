/**
 * Adds up the counts the reliability tests recorded (counts.ts) and lays them out as one table:
 * a row per label, the suite's shared labels first in their usual order, then the others in the
 * order they were first recorded.
 */
import { CountLabels, type CountRecord } from './counts.ts';

export interface CountRow {
  readonly label: string;
  readonly total: number;
  readonly files: readonly string[];
}

export function sumCounts(records: readonly CountRecord[]): CountRow[] {
  const rows = new Map<string, { total: number; files: Set<string> }>();
  for (const record of records) {
    const row = rows.get(record.label) ?? { total: 0, files: new Set<string>() };
    row.total += record.n;
    row.files.add(record.file);
    rows.set(record.label, row);
  }
  const known: readonly string[] = Object.values(CountLabels);
  const rank = (label: string) => (known.includes(label) ? known.indexOf(label) : known.length);
  return [...rows.entries()].map(([label, row]) => ({ label, total: row.total, files: [...row.files].sort() })).sort((a, b) => rank(a.label) - rank(b.label));
}

export function formatCountsTable(rows: readonly CountRow[]): string {
  if (rows.length === 0) return 'Reliability counts: none recorded';
  const lines = rows.map((row) => [row.label, row.total.toLocaleString('en-US'), row.files.join(', ')] as const);
  const header = ['checked', 'count', 'recorded by'] as const;
  const width = (column: 0 | 1) => Math.max(header[column].length, ...lines.map((line) => line[column].length));
  const format = (line: readonly [string, string, string]) => `  ${line[0].padEnd(width(0))}  ${line[1].padStart(width(1))}  ${line[2]}`;
  return ['Reliability counts', format(header), ...lines.map(format)].join('\n');
}
