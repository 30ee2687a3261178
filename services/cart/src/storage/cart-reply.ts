import type { Cart, CartLine } from '../domain/cart.js';
import type { CartChange } from '../domain/cart-repository.js';

/** What every cart script answers: status, units or lines held, the hash's fields and values, PTTL, server time. */
export type ScriptReply = [status: string, held: number, fields: string[], pttlMs: number, nowMs: number];

/** Turns a script reply into the cart it describes. */
export function cartFromReply(userId: string, [, , fields, pttlMs, nowMs]: ScriptReply): Cart {
  const quantities = new Map<string, number>();
  const order = new Map<string, number>();
  let updated: number | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [field, value] = [fields[i]!, Number(fields[i + 1])];
    if (field.startsWith('q:')) quantities.set(field.slice(2), value);
    else if (field.startsWith('o:')) order.set(field.slice(2), value);
    else if (field === '_updated') updated = value;
  }
  const lines: CartLine[] = [...quantities].map(([productId, quantity]) => ({ productId, quantity }));
  lines.sort((a, b) => (order.get(a.productId) ?? 0) - (order.get(b.productId) ?? 0));
  if (lines.length === 0 || updated === undefined) return { userId, lines: [] };
  return { userId, lines, updateTime: new Date(updated), expireTime: pttlMs > 0 ? new Date(nowMs + pttlMs) : undefined };
}

/** Turns a script reply into a change outcome: the cart, or the limit the change would have broken. */
export function changeFromReply(userId: string, reply: ScriptReply): CartChange {
  const [status, held] = reply;
  if (status === 'quantity' || status === 'lines') return { violation: { limit: status, held } };
  return { cart: cartFromReply(userId, reply) };
}
