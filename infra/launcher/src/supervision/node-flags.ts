import { fileURLToPath } from 'node:url';
import type { ServiceName } from '@shop/system-map';

/**
 * V8 flags for every Node process the launcher runs (services, stand-ins). V8 lets the young generation grow to
 * 16 MiB per semi-space while modules load and keeps it resident afterwards; 2 MiB semi-spaces hold each process's
 * short-lived garbage at a laptop's scale for about 40 MiB less resident memory per process.
 */
export const LOCAL_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];

/**
 * The Elasticsearch stand-in's flags instead. Its start allocates little (its resident memory after start is the same
 * with either size), but a search that matches hundreds of documents allocates a few MiB that live until the reply is
 * sent: with 2 MiB semi-spaces they are promoted to the old generation, which costs CPU per search and grows the heap
 * under load. 16 MiB keeps them in the young generation.
 */
export const ES_STANDIN_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=16'];

/**
 * The flags of the services on the read paths instead: products (GetProduct, and the batched reads behind the
 * gateway's pages and searches), the gateway and search. Each allocates tens of KiB per call that die young;
 * with 2 MiB semi-spaces the young generation is collected several times as often as with 8 MiB. Side by side under
 * h2load, products' main-thread scavenge pauses per 1000 GetProducts were 31–43 ms with 2 MiB and 20–26 ms with 8 MiB,
 * its CPU per call 0.34 against 0.29 ms (bench/results/products-semi-space-ab.md). The gateway collected 100 times per
 * 1000 product pages with 2 MiB and 25 times with 8 MiB, and used 0.60–0.72 ms of CPU per page against 0.68–0.94;
 * search collected 54 times per 1000 searches against 12.5, and used 0.33–0.39 ms per search against 0.45–0.53
 * (bench/results/read-path-semi-space-ab.md). The cost is 10–15 MiB more resident memory per service after start.
 */
const READ_PATH_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];

/** The V8 flags of each service whose flags are not LOCAL_NODE_FLAGS. */
const SERVICE_NODE_FLAGS: Readonly<Partial<Record<ServiceName, readonly string[]>>> = {
  products: READ_PATH_NODE_FLAGS,
  gateway: READ_PATH_NODE_FLAGS,
  search: READ_PATH_NODE_FLAGS,
};

/** The V8 flags a service runs with locally. */
export function serviceNodeFlags(name: ServiceName): readonly string[] {
  return SERVICE_NODE_FLAGS[name] ?? LOCAL_NODE_FLAGS;
}

/** Node's on-disk compile cache of the launcher's, services' and stand-ins' modules, beside the project's Node: the first start fills it, later ones (any data folder) load cached bytecode. */
export const COMPILE_CACHE_DIR = fileURLToPath(new URL('../../../../.local/compile-cache', import.meta.url));

/** Environment of a Node process the launcher runs: the compile cache, so its modules load from cached bytecode. */
export function compileCacheEnvironment(): Record<string, string> {
  return { NODE_COMPILE_CACHE: COMPILE_CACHE_DIR };
}
