import { invalidArgument } from '@shop/runtime/errors';

/** A half-open range [start, end) of order times. */
export interface Period {
  readonly start: Date;
  readonly end: Date;
}

const maxPeriodMs = 366 * 24 * 60 * 60 * 1000;

/** Validates a requested period: both ends set, end after start, at most 366 days long. */
export function checkedPeriod(start: Date | undefined, end: Date | undefined, field = 'period'): Period {
  if (!start || Number.isNaN(start.getTime())) throw invalidArgument(`${field}.start_time`, 'is required');
  if (!end || Number.isNaN(end.getTime())) throw invalidArgument(`${field}.end_time`, 'is required');
  if (end.getTime() <= start.getTime()) throw invalidArgument(`${field}.end_time`, 'must be after start_time');
  if (end.getTime() - start.getTime() > maxPeriodMs) throw invalidArgument(`${field}.end_time`, 'must be at most 366 days after start_time');
  return { start, end };
}
