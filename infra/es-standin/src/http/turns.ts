/**
 * Lets requests start one per turn of the event loop, in the order they arrived.
 *
 * libuv accepts one connection per turn of the loop. When one turn ran the request of every socket that had one ready,
 * a turn under load lasted as long as all those searches together (100–150 ms), and a burst of new connections (a
 * client's pool growing) waited in the kernel's accept queue for one turn each: seconds for the last of fifty, where
 * Elasticsearch accepts them at once. With one request started per turn, a turn lasts about one request, new
 * connections are accepted between requests, and requests are served first come, first served, as from the queue of
 * Elasticsearch's search thread pool.
 */
export class TurnQueue {
  readonly #waiting: Array<() => void> = [];
  #scheduled = false;

  /** Resolves when it is this caller's turn: in the loop's check phase, never in the phase it was called in. */
  next(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#waiting.length === 0) return;
    this.#scheduled = true;
    setImmediate(this.#release);
  }

  /** Starts the next request; the one after it waits for the next turn, once the loop has polled (and accepted) again. */
  readonly #release = (): void => {
    this.#scheduled = false;
    this.#waiting.shift()!();
    this.#schedule();
  };
}
