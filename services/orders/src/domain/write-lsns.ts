/** The WAL position after this process's latest write of each order and each customer, so reads can wait for it. */
export class WriteLsns {
  private readonly lsns = new Map<string, string>();

  constructor(private readonly capacity = 50_000) {}

  /** Records a commit position for an order and its customer, unless a later one is recorded (concurrent writes may report out of order). */
  note(orderId: string, customerId: string, lsn: string): void {
    this.set(`order:${orderId}`, lsn);
    this.set(`customer:${customerId}`, lsn);
  }

  /** The latest write position of the order, if this process wrote it. */
  ofOrder(orderId: string): string | undefined {
    return this.lsns.get(`order:${orderId}`);
  }

  /** The latest write position of any of the customer's orders, if this process wrote one. */
  ofCustomer(customerId: string): string | undefined {
    return this.lsns.get(`customer:${customerId}`);
  }

  private set(key: string, lsn: string): void {
    const latest = laterLsn(this.lsns.get(key), lsn)!;
    this.lsns.delete(key);
    this.lsns.set(key, latest);
    if (this.lsns.size > this.capacity) this.lsns.delete(this.lsns.keys().next().value!);
  }
}

/** Whether a text is a PostgreSQL LSN such as 0/16B3748. */
export function isLsn(text: string): boolean {
  return /^[0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}$/.test(text);
}

/** The later of two LSNs (either may be missing). */
export function laterLsn(a: string | undefined, b: string | undefined): string | undefined {
  if (!a || !b) return a ?? b;
  return lsnValue(a) >= lsnValue(b) ? a : b;
}

function lsnValue(lsn: string): bigint {
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}
