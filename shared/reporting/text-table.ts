/** Plain-text tables for the terminal: columns padded to their widest cell, numbers aligned right. */

export type Align = 'left' | 'right';

/** Lines of a table: the header, a rule, then one line per row; `align` per column, left by default. */
export function textTable(headers: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[] = []): string[] {
  const widths = headers.map((_, column) => Math.max(...[headers, ...rows].map((row) => width(row[column] ?? ''))));
  const line = (row: readonly string[]) =>
    headers
      .map((_, column) => {
        const cell = row[column] ?? '';
        const padding = ' '.repeat((widths[column] ?? 0) - width(cell));
        return align[column] === 'right' ? padding + cell : cell + padding;
      })
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((each) => '-'.repeat(each)).join('  '), ...rows.map(line)];
}

/** Characters as the terminal shows them (every character here is one column wide). */
function width(text: string): number {
  return [...text].length;
}
