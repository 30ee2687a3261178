/** One product line: ids and quantities only. */
export interface CartLine {
  readonly productId: string;
  readonly quantity: number;
}

/** A user's cart; times are unset while it is empty. */
export interface Cart {
  readonly userId: string;
  /** In first-added order. */
  readonly lines: readonly CartLine[];
  readonly updateTime?: Date;
  readonly expireTime?: Date;
}

/** Most lines one cart holds. */
export const maxLines = 100;

/** Most units one line holds. */
export const maxQuantity = 99;

/** Longest user or product id accepted. */
export const maxIdLength = 256;

/** An empty cart of the user. */
export function emptyCart(userId: string): Cart {
  return { userId, lines: [] };
}
