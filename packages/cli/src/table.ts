export interface Column<T> {
  header: string;
  value: (row: T) => string | number | boolean | null | undefined;
  align?: 'left' | 'right';
}

function cell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined || value === '') return '-';
  return String(value).replace(/\s+/g, ' ');
}

/** Aligned columns with a header line, for people; scripts use `--json`. Ends with a newline. */
export function renderTable<T>(columns: readonly Column<T>[], rows: readonly T[]): string {
  const cells = rows.map((row) => columns.map((column) => cell(column.value(row))));
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...cells.map((line) => line[index]!.length)),
  );
  const format = (line: readonly string[]) =>
    line
      .map((text, index) => {
        const width = widths[index]!;
        if (index === line.length - 1 && columns[index]!.align !== 'right') return text;
        return columns[index]!.align === 'right' ? text.padStart(width) : text.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return `${[format(columns.map((column) => column.header)), ...cells.map(format)].join('\n')}\n`;
}

/** `key: value` lines for one object, labels aligned. */
export function renderFields(
  fields: readonly (readonly [string, string | number | boolean | null | undefined])[],
): string {
  const width = Math.max(...fields.map(([label]) => label.length));
  return `${fields.map(([label, value]) => `${`${label}:`.padEnd(width + 1)} ${cell(value)}`).join('\n')}\n`;
}

/** `2026-01-02T03:04:05.678Z` → `2026-01-02 03:04:05`; anything else unchanged. */
export function shortDate(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(value);
  return match ? `${match[1]} ${match[2]}` : value;
}
