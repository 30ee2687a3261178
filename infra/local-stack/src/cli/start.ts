import { resolve } from 'node:path';
import { startLocalStores } from '../index.js';

const dataDir = resolve(process.env.LOCAL_STACK_DATA_DIR ?? '.data/local-stack');
const stores = await startLocalStores({ dataDir, log: (line) => console.log(line) });
console.log(JSON.stringify({ dataDir, ...stores, stop: undefined }, null, 2));
console.log('Local stores running; press Ctrl+C to stop.');

let stopping = false;
const shutdown = (): void => {
  if (stopping) return;
  stopping = true;
  stores.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
