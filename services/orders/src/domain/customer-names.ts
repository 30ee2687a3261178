import type { CustomerName, CustomerNameCopies } from './ports.js';

/** Applies users' announcements of display names to the local copy: newest version wins, replays change nothing. */
export class CustomerNames {
  constructor(private readonly copies: CustomerNameCopies) {}

  /** Records the announced name; an announcement without a customer id is ignored. */
  async announce(name: CustomerName): Promise<boolean> {
    if (!name.customerId) return false;
    return this.copies.keepNewest(name);
  }
}
