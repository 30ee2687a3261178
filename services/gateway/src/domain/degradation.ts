/** Which non-essential parts of a composed answer are missing. */
export interface Degradation {
  readonly partial: boolean;
  readonly missingParts: string[];
}

/** Collects the non-essential parts of a composed answer that could not be had. */
export class DegradationTracker {
  private readonly missing: string[] = [];

  /** The part's value, or undefined (and the part recorded as missing) when it failed or timed out. */
  async optional<T>(part: string, load: () => Promise<T>): Promise<T | undefined> {
    try {
      return await load();
    } catch {
      this.missing.push(part);
      return undefined;
    }
  }

  /** The degradation to put in the answer. */
  result(): Degradation {
    return { partial: this.missing.length > 0, missingParts: [...this.missing] };
  }
}
