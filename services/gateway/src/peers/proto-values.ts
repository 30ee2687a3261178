import type { Timestamp } from '@bufbuild/protobuf/wkt';
import type { Money as MoneyMessage } from '@shop/gen/common/v1/money_pb';
import type { Money } from '../domain/money.js';
import type { Instant } from '../domain/ports.js';

/** A Money message as a domain amount; undefined when absent. */
export function moneyOf(message: MoneyMessage | undefined): Money | undefined {
  return message ? { amountMinor: message.amountMinor, currencyCode: message.currencyCode } : undefined;
}

/** A Timestamp message as an instant, nanoseconds kept; undefined when absent. */
export function instantOf(message: Timestamp | undefined): Instant | undefined {
  return message ? { seconds: message.seconds, nanos: message.nanos } : undefined;
}

/**
 * An object without the keys whose value is undefined, so optional domain fields stay absent. Copied key by key: it
 * runs for every product and hit a page composes, where entries arrays would be garbage of their own.
 */
export function defined<T extends object>(value: T): T {
  const kept: Partial<T> = {};
  for (const key in value) if (value[key] !== undefined) kept[key] = value[key];
  return kept as T;
}
