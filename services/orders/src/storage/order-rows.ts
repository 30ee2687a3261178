import type { Queryable } from '@shop/postgres';
import { splitAddressLine } from '../domain/address.js';
import type { Order, OrderItem, OrderStatus, SagaStep, ShippingAddress } from '../domain/order.js';

/** An orders row as SELECT o.* reads it, with the event-fed current customer name. */
export interface OrderRow {
  id: string;
  idempotency_key: string;
  customer_id: string;
  customer_name: string;
  customer_current_name: string | null;
  status: OrderStatus;
  status_reason: string;
  saga_step: SagaStep;
  saga_attempts: number;
  total_minor: string;
  currency_code: string;
  shipping_address?: string;
  shipping_address_line1?: string | null;
  shipping_address_line2?: string | null;
  shipping_address_line3?: string | null;
  version: string;
  created_at: Date;
  updated_at: Date;
}

interface ItemRow {
  order_id: string;
  product_id: string;
  product_name: string;
  unit_price_minor: string;
  currency_code: string;
  quantity: number;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a text can be an order id (a UUID); other ids name no order. */
export function isOrderId(text: string): boolean {
  return uuidPattern.test(text);
}

/** The SELECT list and FROM clause of an order read, with the event-fed current customer name. */
export const orderSelect = `SELECT o.*, cn.display_name AS customer_current_name
  FROM orders o LEFT JOIN customer_names cn ON cn.customer_id = o.customer_id`;

/** Loads the items of the selected order rows and assembles the orders, in row order. */
export async function assembleOrders(db: Queryable, rows: readonly OrderRow[]): Promise<Order[]> {
  if (rows.length === 0) return [];
  const { rows: itemRows } = await db.query<ItemRow>('SELECT * FROM order_items WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, position', [
    rows.map((row) => row.id),
  ]);
  const itemsByOrder = new Map<string, OrderItem[]>();
  for (const item of itemRows) {
    const list = itemsByOrder.get(item.order_id) ?? [];
    list.push(toItem(item));
    itemsByOrder.set(item.order_id, list);
  }
  return rows.map((row) => toOrder(row, itemsByOrder.get(row.id) ?? []));
}

/** Runs an order SELECT and assembles its rows. */
export async function queryOrders(db: Queryable, sql: string, params: unknown[]): Promise<Order[]> {
  const { rows } = await db.query<OrderRow>(sql, params);
  return assembleOrders(db, rows);
}

function toItem(row: ItemRow): OrderItem {
  return {
    productId: row.product_id,
    productName: row.product_name,
    unitPrice: { amountMinor: BigInt(row.unit_price_minor), currencyCode: row.currency_code },
    quantity: row.quantity,
  };
}

/** The order a row and its items describe. */
export function toOrder(row: OrderRow, items: readonly OrderItem[]): Order {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    customerId: row.customer_id,
    customerName: row.customer_name,
    customerCurrentName: row.customer_current_name ?? '',
    status: row.status,
    statusReason: row.status_reason,
    sagaStep: row.saga_step,
    sagaAttempts: row.saga_attempts,
    items,
    total: { amountMinor: BigInt(row.total_minor), currencyCode: row.currency_code },
    shippingAddress: addressOf(row),
    version: BigInt(row.version),
    createTime: row.created_at,
    updateTime: row.updated_at,
  };
}

function addressOf(row: OrderRow): ShippingAddress {
  if (row.shipping_address_line1 !== undefined && row.shipping_address_line1 !== null) {
    return { line1: row.shipping_address_line1, line2: row.shipping_address_line2 ?? '', line3: row.shipping_address_line3 ?? '' };
  }
  return splitAddressLine(row.shipping_address ?? '');
}
