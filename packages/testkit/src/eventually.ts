/** Options of eventually. */
export interface EventuallyOptions {
  /** What is awaited, for the failure message. */
  readonly description?: string;
  /** The bound; past it the last failure is thrown. Generous by default, so a loaded machine only waits longer. */
  readonly timeoutMs?: number;
  /** Pause between attempts. */
  readonly intervalMs?: number;
  /** Tells a failure that no retry can mend (a process that exited): it is rethrown at once. */
  readonly fatal?: (failure: unknown) => boolean;
}

/**
 * Retries the check until it returns a value other than undefined or false and does not throw, and resolves with
 * that value; past the bound it rejects with the description and the last failure. Never a fixed sleep.
 */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, options: EventuallyOptions = {}): Promise<T> {
  const { description = 'condition', timeoutMs = 30_000, intervalMs = 100, fatal = () => false } = options;
  const deadline = Date.now() + timeoutMs;
  let lastFailure: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      lastFailure = undefined;
    } catch (error) {
      if (fatal(error)) throw error;
      lastFailure = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastFailure instanceof Error ? `: ${lastFailure.message}` : lastFailure === undefined ? '' : `: ${String(lastFailure)}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}${cause}`, { cause: lastFailure });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
