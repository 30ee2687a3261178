const isoDate = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}(?::\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const isoYearOrMonth = /^\d{4}(?:-\d{2})?$/;
const dateMath = /^now(?<steps>(?:[+-]\d+[yMwdhHms])*)(?:\/(?<round>[yMwdhHms]))?$/;

const unitMillis: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, H: 3_600_000, m: 60_000, s: 1_000 };

/** True when a string would be detected as a date by dynamic mapping (ISO 8601 date or date-time). */
export function looksLikeDate(value: string): boolean {
  return isoDate.test(value);
}

function parseIso(value: string): number | undefined {
  if (isoYearOrMonth.test(value)) return Date.parse(value.length === 4 ? `${value}-01-01T00:00:00Z` : `${value}-01T00:00:00Z`);
  const match = isoDate.exec(value);
  if (!match) return undefined;
  const normalised = value.replace(' ', 'T').replace(',', '.');
  const withZone = match[1] || !normalised.includes('T') ? normalised : `${normalised}Z`;
  const millis = Date.parse(withZone);
  return Number.isNaN(millis) ? undefined : millis;
}

function applyStep(date: Date, amount: number, unit: string): void {
  if (unit === 'y') date.setUTCFullYear(date.getUTCFullYear() + amount);
  else if (unit === 'M') date.setUTCMonth(date.getUTCMonth() + amount);
  else date.setTime(date.getTime() + amount * (unitMillis[unit] ?? 0));
}

const roundingOrder = ['y', 'M', 'd', 'h', 'm', 's'];

function roundDown(date: Date, unit: string): void {
  if (unit === 'w') {
    date.setUTCHours(0, 0, 0, 0);
    date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
    return;
  }
  const depth = roundingOrder.indexOf(unit === 'H' ? 'h' : unit);
  if (depth <= 0) date.setUTCMonth(0);
  if (depth <= 1) date.setUTCDate(1);
  if (depth <= 2) date.setUTCHours(0);
  if (depth <= 3) date.setUTCMinutes(0);
  if (depth <= 4) date.setUTCSeconds(0);
  date.setUTCMilliseconds(0);
}

function parseDateMath(value: string): number | undefined {
  const match = dateMath.exec(value);
  if (!match) return undefined;
  const date = new Date();
  for (const step of (match.groups?.['steps'] ?? '').matchAll(/([+-]\d+)([yMwdhHms])/g)) {
    applyStep(date, Number(step[1]), step[2] ?? 'd');
  }
  const round = match.groups?.['round'];
  if (round) roundDown(date, round);
  return date.getTime();
}

/** Epoch milliseconds for an ISO date, epoch-millis number/string or `now`-based date math; undefined if unparsable. */
export function parseDate(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  if (/^-?\d+$/.test(value) && value.length !== 4) return Number(value);
  return parseIso(value) ?? parseDateMath(value);
}

/** The ISO string Elasticsearch shows for a date value (`value_as_string`, `key_as_string`). */
export function formatDate(millis: number): string {
  return new Date(millis).toISOString();
}
