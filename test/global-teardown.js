import { tsImport } from 'tsx/esm/api';

/** Jest global teardown: stops the test stores. */
export default async function globalTeardown() {
  const { stopTestStores } = await tsImport('./test-stores.ts', import.meta.url);
  await stopTestStores();
}
