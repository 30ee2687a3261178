import { parsingError } from '../../errors.js';
import type { JsonObject } from './clause-body.js';

/** Refuses options a query does not implement, as Elasticsearch refuses unknown ones: `[<type>] query does not support [<key>]`. */
export function checkOptions(queryType: string, options: JsonObject, allowed: readonly string[]): void {
  const unknown = Object.keys(options).find((key) => !allowed.includes(key) && options[key] !== undefined);
  if (unknown) throw parsingError(`[${queryType}] query does not support [${unknown}]`);
}
