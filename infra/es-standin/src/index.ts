import type { AddressInfo } from 'node:net';
import { createRoutes } from './api/routes.js';
import { reportedVersion, standInNotice } from './api/root.js';
import { createEsServer } from './http/server.js';
import { UserDirectory, type UserConfig } from './security/users.js';
import { Cluster } from './store/cluster.js';

/** Options of {@link startEsStandin}. */
export interface EsStandinOptions {
  port?: number;
  host?: string;
  dataDir: string;
  log?: (line: string) => void;
  /** Turns on HTTP basic authentication and per-index authorization; without it every request is allowed. */
  users?: UserConfig[];
}

export type { UserConfig } from './security/users.js';

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
  const users = options.users ? await UserDirectory.create(options.users) : undefined;
  const cluster = await Cluster.open(options.dataDir);
  const server = createEsServer({ router: createRoutes(), cluster, users }, log);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 9200, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log(`es-standin (${standInNotice}) answering as Elasticsearch ${reportedVersion} at ${url}, data in ${options.dataDir}${users ? `, basic authentication for ${options.users!.length} user(s)` : ', no authentication'}`);
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
