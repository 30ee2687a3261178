import { illegalArgument } from '../errors.js';
import { indicesOptions } from '../http/parameters.js';
import type { Reply, RequestContext } from '../http/request-context.js';
import type { Router } from '../http/router.js';

/** The Elasticsearch version the stand-in reports (the 9.x client requires a 9.x server). */
export const reportedVersion = '9.1.0';

/** Marks every place a user sees that this is not Elasticsearch. */
export const standInNotice = 'development/test stand-in, not Elasticsearch';

/** `GET /`, `HEAD /` and cluster health. */
export function registerRootRoutes(router: Router): void {
  router.on(['GET', 'HEAD'], '/', () => ({
    status: 200,
    body: {
      name: 'es-standin',
      cluster_name: 'es-standin',
      cluster_uuid: 'es-standin-cluster',
      version: {
        number: reportedVersion,
        build_flavor: 'default',
        build_type: 'stand-in',
        build_hash: 'stand-in',
        build_date: '2025-01-01T00:00:00.000Z',
        build_snapshot: false,
        lucene_version: '10.2.2',
        minimum_wire_compatibility_version: '8.19.0',
        minimum_index_compatibility_version: '8.0.0',
      },
      tagline: `You Know, for Search (${standInNotice})`,
      stand_in: standInNotice,
    },
  }));
  router.on('GET', '/_cluster/health', (context) => healthReply(context, context.cluster.all().length), healthParameters);
  router.on('GET', '/_cluster/health/{index}', (context) => healthReply(context, context.cluster.resolve(context.params['index'], context.resolveOptions()).length), [
    ...healthParameters,
    ...indicesOptions,
  ]);
}

const healthParameters = ['wait_for_status', 'timeout', 'master_timeout'];
const statuses = ['green', 'yellow', 'red'];

function healthReply(context: RequestContext, shardCount: number): Reply {
  const wanted = context.string('wait_for_status');
  if (wanted !== undefined && !statuses.includes(wanted)) throw illegalArgument(`unknown cluster health status [${wanted}]`);
  return { status: 200, body: health(shardCount) };
}

function health(shardCount: number) {
  return {
    cluster_name: 'es-standin',
    status: 'green',
    timed_out: false,
    number_of_nodes: 1,
    number_of_data_nodes: 1,
    active_primary_shards: shardCount,
    active_shards: shardCount,
    relocating_shards: 0,
    initializing_shards: 0,
    unassigned_shards: 0,
    unassigned_primary_shards: 0,
    delayed_unassigned_shards: 0,
    number_of_pending_tasks: 0,
    number_of_in_flight_fetch: 0,
    task_max_waiting_in_queue_millis: 0,
    active_shards_percent_as_number: 100,
  };
}
