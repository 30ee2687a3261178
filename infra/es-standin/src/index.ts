import type { AddressInfo } from 'node:net';
import { createRoutes } from './api/routes.js';
import { reportedVersion, standInNotice } from './api/root.js';
import { createEsServer } from './http/server.js';
import { Cluster } from './store/cluster.js';

/** Options of {@link startEsStandin}. */
export interface EsStandinOptions {
  port?: number;
  host?: string;
  dataDir: string;
  log?: (line: string) => void;
}

/** A running stand-in server. */
export interface EsStandin {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Starts the Elasticsearch-compatible development/test stand-in over a data folder; resolves once it listens. */
export async function startEsStandin(options: EsStandinOptions): Promise<EsStandin> {
  const log = options.log ?? ((line: string) => console.log(line));
  const host = options.host ?? '127.0.0.1';
  const cluster = await Cluster.open(options.dataDir);
  const server = createEsServer(createRoutes(), cluster, log);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 9200, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log(`es-standin (${standInNotice}) answering as Elasticsearch ${reportedVersion} at ${url}, data in ${options.dataDir}`);
  return {
    port,
    url,
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      await cluster.close();
    },
  };
}
