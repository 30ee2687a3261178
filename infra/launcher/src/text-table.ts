/** Rows as aligned text columns under a header line; columns pair a row's key with its title. */
export function alignedColumns<Row extends { readonly [K in keyof Row]: string }>(columns: ReadonlyArray<readonly [keyof Row, string]>, rows: readonly Row[]): string {
  const widths = columns.map(([key, title]) => Math.max(title.length, ...rows.map((row) => row[key].length)));
  const line = (cells: string[]) => cells.map((cell, index) => cell.padEnd(widths[index]!)).join('  ').trimEnd();
  return [line(columns.map(([, title]) => title)), ...rows.map((row) => line(columns.map(([key]) => row[key])))].join('\n');
}
