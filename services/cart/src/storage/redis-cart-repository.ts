import type { Redis } from 'ioredis';
import { maxLines, maxQuantity, type Cart } from '../domain/cart.js';
import type { CartChange, CartRepository } from '../domain/cart-repository.js';
import { cartKey, eventKey } from './cart-keys.js';
import { cartFromReply, changeFromReply, type ScriptReply } from './cart-reply.js';
import { addItemLua, getCartLua, removeLinesLua, removeOrderedLinesLua, setQuantityLua } from './cart-scripts.js';

type ScriptArg = string | number;
type CartCommand = (...keysThenArgs: ScriptArg[]) => Promise<ScriptReply>;
const commands = { cartGet: [1, getCartLua], cartAddItem: [1, addItemLua], cartSetQuantity: [1, setQuantityLua], cartRemoveLines: [1, removeLinesLua], cartRemoveOrdered: [2, removeOrderedLinesLua] } as const;
type CartCommands = Record<keyof typeof commands, CartCommand>;

/** How long an applied event's id is remembered: longer than any redelivery. */
const eventMarkerTtlSeconds = 7 * 24 * 60 * 60;

/** Carts in Redis, one hash per user, each change one Lua script (atomic, so concurrent changes lose nothing). */
export class RedisCartRepository implements CartRepository {
  private readonly scripts: CartCommands;

  constructor(
    redis: Redis,
    private readonly ttlSeconds: number,
  ) {
    for (const [name, [numberOfKeys, lua]] of Object.entries(commands)) redis.defineCommand(name, { numberOfKeys, lua });
    this.scripts = redis as unknown as CartCommands;
  }

  async get(userId: string): Promise<Cart> {
    return cartFromReply(userId, await this.run('cartGet', [cartKey(userId)]));
  }

  async addItem(userId: string, productId: string, quantity: number): Promise<CartChange> {
    return changeFromReply(userId, await this.run('cartAddItem', [cartKey(userId)], productId, quantity, maxQuantity, maxLines));
  }

  async setQuantity(userId: string, productId: string, quantity: number): Promise<CartChange> {
    return changeFromReply(userId, await this.run('cartSetQuantity', [cartKey(userId)], productId, quantity, maxLines));
  }

  async removeLines(userId: string, productIds: readonly string[]): Promise<Cart> {
    return cartFromReply(userId, await this.run('cartRemoveLines', [cartKey(userId)], ...productIds));
  }

  async removeOrderedLines(userId: string, eventId: string, productIds: readonly string[]): Promise<boolean> {
    const [status] = await this.run('cartRemoveOrdered', [cartKey(userId), eventKey(eventId)], eventMarkerTtlSeconds, ...productIds);
    return status !== 'duplicate';
  }

  private run(name: keyof CartCommands, keys: string[], ...args: ScriptArg[]): Promise<ScriptReply> {
    return this.scripts[name](...keys, this.ttlSeconds, ...args);
  }
}
