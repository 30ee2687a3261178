/**
 * Groups what an async source yields into batches: each starts with the next item and takes what has arrived or
 * arrives within lingerMs of it, up to maxItems. An item that arrives after the linger starts the next batch.
 */
export async function* arrivalBatches<T>(source: AsyncIterable<T>, maxItems: number, lingerMs: number): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  let next = iterator.next();
  for (;;) {
    const first = await next;
    if (first.done) return;
    const batch = [first.value];
    next = iterator.next();
    let timer: NodeJS.Timeout | undefined;
    const lingered = new Promise<'lingered'>((resolve) => (timer = setTimeout(() => resolve('lingered'), lingerMs)));
    let ended = false;
    try {
      while (batch.length < maxItems && !ended) {
        const arrived = await Promise.race([next, lingered]);
        if (arrived === 'lingered') break;
        if (arrived.done) ended = true;
        else {
          batch.push(arrived.value);
          next = iterator.next();
        }
      }
    } finally {
      clearTimeout(timer);
    }
    yield batch;
    if (ended) return;
  }
}
