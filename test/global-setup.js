import { tsImport } from 'tsx/esm/api';

/** Jest global setup: starts the test stores (TypeScript, loaded through tsx). */
export default async function globalSetup() {
  const { startTestStores } = await tsImport('./test-stores.ts', import.meta.url);
  await startTestStores();
}
