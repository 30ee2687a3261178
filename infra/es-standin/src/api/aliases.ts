import { EsError } from '../errors.js';
import { indicesOptions } from '../http/parameters.js';
import type { Router } from '../http/router.js';
import type { RequestContext, Reply } from '../http/request-context.js';
import { indexActions } from '../security/index-actions.js';
import { aliasActionNames, type AliasAction } from '../store/alias-actions.js';
import type { AliasOptions } from '../store/es-index.js';
import { isPattern, splitExpression } from '../store/index-names.js';

function aliasesReply(context: RequestContext): Reply {
  const indexExpression = context.params['index'];
  const names = context.params['name'] === undefined ? ['*'] : splitExpression(context.params['name']);
  const indices = new Set(context.cluster.resolve(indexExpression, context.resolveOptions()));
  const body: Record<string, { aliases: Record<string, AliasOptions> }> = {};
  const missing: string[] = [];
  for (const name of names) {
    const entries = context.cluster.aliasEntries(name).filter((entry) => indices.has(entry.index));
    if (entries.length === 0 && !isPattern(name)) missing.push(name);
    for (const entry of entries) {
      body[entry.index.name] ??= { aliases: {} };
      body[entry.index.name]!.aliases[entry.alias] = entry.options;
    }
  }
  if (context.params['name'] === undefined && indexExpression !== undefined) {
    for (const index of indices) body[index.name] ??= { aliases: {} };
  }
  if (missing.length === 0) return { status: 200, body };
  const reason = `alias [${missing.join(',')}] missing`;
  return { status: 404, body: { error: reason, status: 404, ...body } };
}

function existsReply(context: RequestContext): Reply {
  try {
    return { status: aliasesReply(context).status };
  } catch (error) {
    if (error instanceof EsError && error.status === 404) return { status: 404 };
    throw error;
  }
}

function putAlias(context: RequestContext): Reply {
  context.cluster.putAlias(context.param('index'), context.param('name'), context.jsonObject());
  return { status: 200, body: { acknowledged: true } };
}

function deleteAlias(context: RequestContext): Reply {
  context.cluster.updateAliases([{ remove: { index: context.param('index'), alias: context.param('name') } }]);
  return { status: 200, body: { acknowledged: true } };
}

/** Alias APIs: atomic `POST /_aliases`, get/exists/put/delete of single aliases. */
export function registerAliasRoutes(router: Router): void {
  const adminParameters = ['timeout', 'master_timeout'];
  router.on(
    'POST',
    '/_aliases',
    (context) => {
      const actions = context.jsonObject()['actions'] as AliasAction[];
      context.access.authorize(indexActions.manageAliases, ...aliasActionNames(actions));
      const results = context.cluster.updateAliases(actions);
      const errors = results.some((result) => result.error !== undefined);
      return { status: 200, body: { acknowledged: true, errors, ...(errors ? { action_results: results } : {}) } };
    },
    adminParameters,
  );
  for (const segment of ['_alias', '_aliases']) {
    router.on('GET', `/${segment}`, aliasesReply, indicesOptions).on('GET', `/${segment}/{name}`, aliasesReply, indicesOptions);
    router.on('GET', `/{index}/${segment}`, aliasesReply, indicesOptions).on('GET', `/{index}/${segment}/{name}`, aliasesReply, indicesOptions);
    router.on('HEAD', `/${segment}/{name}`, existsReply, indicesOptions).on('HEAD', `/{index}/${segment}/{name}`, existsReply, indicesOptions);
    router.on(['PUT', 'POST'], `/{index}/${segment}/{name}`, putAlias, adminParameters);
    router.on('DELETE', `/{index}/${segment}/{name}`, deleteAlias, adminParameters);
  }
}
