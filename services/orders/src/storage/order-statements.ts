import { activeTraceContext } from '@shop/runtime/tracing';
import type { NamedStatement } from '@shop/postgres';
import type { OutgoingEvent } from '../domain/ports.js';
import type { SchemaFeatures } from './schema-features.js';


const currentName = (row: string) => `(SELECT display_name FROM customer_names WHERE customer_id = ${row}.customer_id)`;

/**
 * Single statements that write a change and its outbox event together and return the changed row: each commits
 * atomically on its own (one round trip instead of BEGIN, the writes, a re-read and COMMIT). The SQL is built once
 * per schema and named, so each connection prepares it once; it returns the columns the schema had at start by name
 * (not *), so a column a later migration adds does not change a prepared statement's result.
 */
export class OrderStatements {
  private readonly inserts = new Map<string, { name: string; text: string }>();
  private readonly returned: string;

  constructor(private readonly features: SchemaFeatures) {
    this.returned = orderColumnsOf(features).join(', ');
  }

  /**
   * Inserts an order unless its idempotency key is taken, and with it its items, the customer's name copy (kept
   * only if newer) and its event; returns the row (none when the key was taken).
   */
  insertOrder(columns: Record<string, unknown>, items: unknown[][], staleMs: number, customer: unknown[] | undefined, event: OutgoingEvent): NamedStatement {
    const names = Object.keys(columns);
    const outbox = this.outboxValues(event, names.length + 1 + items.length + (customer ? 3 : 0));
    const key = `${names.join(',')}|${customer ? 'customer' : ''}|${outbox.traced}`;
    const { name, text } = this.inserts.get(key) ?? this.buildInsert(key, names, customer !== undefined, outbox);
    return { name, text, values: [...Object.values(columns), staleMs, ...items, ...(customer ?? []), ...outbox.values] };
  }

  /** Applies a saga transition to the order at the version the caller holds, with its event; returns the changed row (none when it moved on). */
  transition(values: { id: string; status: string; sagaStep: string; reason: string; fromStatus: string; fromStep: string; version: bigint; staleMs: number }, event: OutgoingEvent | undefined): NamedStatement {
    const outbox = event ? this.outboxValues(event, 8) : undefined;
    const text = `WITH changed AS (
        UPDATE orders SET status = $2, saga_step = $3, status_reason = $4, version = version + 1, saga_attempts = 0,
          next_attempt_at = now() + $8 * interval '1 millisecond', updated_at = now()
        WHERE id = $1 AND status = $5 AND saga_step = $6 AND version = $7 RETURNING ${this.returned}
      )${outbox ? `, event AS (INSERT INTO outbox (${outbox.columns}) SELECT ${outbox.placeholders} FROM changed)` : ''}
      SELECT c.*, ${currentName('c')} AS customer_current_name FROM changed c`;
    const { id, status, sagaStep, reason, fromStatus, fromStep, version, staleMs } = values;
    return { name: `orders-transition-${outbox ? (outbox.traced ? 'traced' : 'event') : 'silent'}`, text, values: [id, status, sagaStep, reason, fromStatus, fromStep, version.toString(), staleMs, ...(outbox?.values ?? [])] };
  }

  private buildInsert(key: string, names: string[], withCustomer: boolean, outbox: { columns: string; placeholders: string }): { name: string; text: string } {
    const itemArrays = 6;
    const at = (offset: number) => `$${names.length + 1 + offset}`;
    const itemParams = Array.from({ length: itemArrays }, (_, index) => at(1 + index));
    const customerParams = Array.from({ length: 3 }, (_, index) => at(1 + itemArrays + index));
    const text = `WITH new_order AS (
        INSERT INTO orders (${names.join(', ')}, next_attempt_at)
        VALUES (${names.map((_, index) => `$${index + 1}`).join(', ')}, now() + ${at(0)} * interval '1 millisecond')
        ON CONFLICT (idempotency_key) DO NOTHING RETURNING ${this.returned}
      ), items AS (
        INSERT INTO order_items (order_id, position, product_id, product_name, unit_price_minor, currency_code, quantity)
        SELECT o.id, t.position, t.product_id, t.product_name, t.unit_price_minor, t.currency_code, t.quantity
        FROM new_order o, unnest(${itemParams[0]}::int[], ${itemParams[1]}::text[], ${itemParams[2]}::text[], ${itemParams[3]}::bigint[], ${itemParams[4]}::text[], ${itemParams[5]}::int[])
          AS t(position, product_id, product_name, unit_price_minor, currency_code, quantity)
      )${
        withCustomer
          ? `, name AS (
        INSERT INTO customer_names (customer_id, display_name, version) SELECT ${customerParams[0]}, ${customerParams[1]}, ${customerParams[2]}::bigint FROM new_order
        ON CONFLICT (customer_id) DO UPDATE SET display_name = EXCLUDED.display_name, version = EXCLUDED.version
        WHERE customer_names.version < EXCLUDED.version RETURNING display_name
      )`
          : ''
      }, event AS (INSERT INTO outbox (${outbox.columns}) SELECT ${outbox.placeholders} FROM new_order)
      SELECT o.*, ${withCustomer ? `coalesce((SELECT display_name FROM name), ${currentName('o')})` : currentName('o')} AS customer_current_name FROM new_order o`;
    const built = { name: `orders-insert-${this.inserts.size}`, text };
    this.inserts.set(key, built);
    return built;
  }

  private outboxValues(event: OutgoingEvent, before: number): { traced: boolean; columns: string; placeholders: string; values: unknown[] } {
    const traceContext = this.features.outboxTraceContext ? activeTraceContext() : undefined;
    const values: unknown[] = [event.id, event.subject, event.type, Buffer.from(event.payload), ...(traceContext ? [JSON.stringify(traceContext)] : [])];
    const casts = ['uuid', 'text', 'text', 'bytea', 'jsonb'];
    return {
      traced: traceContext !== undefined,
      columns: `id, subject, type, payload${traceContext ? ', trace_context' : ''}`,
      placeholders: values.map((_, index) => `$${before + index + 1}::${casts[index]}`).join(', '),
      values,
    };
  }
}

function orderColumnsOf(features: SchemaFeatures): string[] {
  const address = [...(features.singleLineAddress ? ['shipping_address'] : []), ...(features.addressLines ? ['shipping_address_line1', 'shipping_address_line2', 'shipping_address_line3'] : [])];
  const head = ['id', 'idempotency_key', 'customer_id', 'customer_name', 'status', 'status_reason', 'saga_step', 'saga_attempts', 'total_minor', 'currency_code'];
  return [...head, ...address, 'version', 'created_at', 'updated_at'];
}
