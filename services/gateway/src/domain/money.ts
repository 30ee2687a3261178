/** An amount of money in the currency's minor unit. */
export interface Money {
  readonly amountMinor: bigint;
  readonly currencyCode: string;
}

/** price × quantity, or undefined without a price. */
export function times(price: Money | undefined, quantity: number): Money | undefined {
  return price ? { amountMinor: price.amountMinor * BigInt(quantity), currencyCode: price.currencyCode } : undefined;
}

/** The sum of amounts of one currency; undefined when there is none or currencies differ. */
export function sum(amounts: ReadonlyArray<Money | undefined>): Money | undefined {
  const present = amounts.filter((amount): amount is Money => amount !== undefined);
  const currency = present[0]?.currencyCode;
  if (!currency || present.some((amount) => amount.currencyCode !== currency)) return undefined;
  return { amountMinor: present.reduce((total, amount) => total + amount.amountMinor, 0n), currencyCode: currency };
}
