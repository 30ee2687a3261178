import { EsError, indexNotFound, parsingError } from '../errors.js';
import type { AliasOptions, EsIndex } from './es-index.js';
import { wildcardMatcher } from './index-names.js';

/** One entry of `POST /_aliases` `actions`: `{ add | remove | remove_index: {...} }`. */
export type AliasAction = Record<string, Record<string, unknown>>;

/** What alias actions may consult about the cluster. */
export interface AliasActionContext {
  resolveIndices(expression: string): EsIndex[];
  checkAliasName(alias: string): void;
}

/** How one action went, as `action_results` reports it. */
export interface AliasActionResult {
  action: { type: string; indices: string[]; aliases: string[] };
  status: number;
  error?: Record<string, unknown>;
}

/** The outcome of a list of alias actions, ready to be applied at once. */
export interface AliasPlan {
  aliases: Map<EsIndex, Map<string, AliasOptions>>;
  removedIndices: Set<EsIndex>;
  results: AliasActionResult[];
}

const targetKeys = new Set(['index', 'indices', 'alias', 'aliases', 'must_exist']);

function names(single: unknown, many: unknown): string[] {
  return [single ?? [], many ?? []].flat().map(String);
}

function optionsOf(body: Record<string, unknown>): AliasOptions {
  return Object.fromEntries(Object.entries(body).filter(([key]) => !targetKeys.has(key)));
}

class AliasPlanner {
  readonly plan: AliasPlan = { aliases: new Map(), removedIndices: new Set(), results: [] };
  readonly failures: EsError[] = [];

  constructor(private readonly context: AliasActionContext) {}

  apply(action: AliasAction): void {
    const entries = Object.entries(action);
    const [type, body] = entries[0] ?? [];
    if (entries.length !== 1 || !type || typeof body !== 'object' || body === null) {
      throw parsingError('[aliases] each alias action must name exactly one of add, remove, remove_index');
    }
    const indices = this.targetIndices(body);
    const aliases = names(body['alias'], body['aliases']);
    let failure: EsError | undefined;
    if (type === 'add') this.add(indices, aliases, optionsOf(body));
    else if (type === 'remove') failure = this.remove(indices, aliases, body['must_exist'] === true);
    else if (type === 'remove_index') this.removeIndices(indices);
    else throw parsingError(`[alias_action] unknown field [${type}]`);
    if (failure) this.failures.push(failure);
    this.plan.results.push({
      action: { type, indices: indices.map((index) => index.name), aliases },
      status: failure?.status ?? 200,
      ...(failure ? { error: failure.causeObject() } : {}),
    });
  }

  private targetIndices(body: Record<string, unknown>): EsIndex[] {
    const indices = names(body['index'], body['indices']).flatMap((expression) => this.context.resolveIndices(expression));
    const removed = indices.find((index) => this.plan.removedIndices.has(index));
    if (removed) throw indexNotFound(removed.name);
    return indices;
  }

  private staged(index: EsIndex): Map<string, AliasOptions> {
    let aliases = this.plan.aliases.get(index);
    if (!aliases) {
      aliases = new Map(index.aliases);
      this.plan.aliases.set(index, aliases);
    }
    return aliases;
  }

  private add(indices: EsIndex[], aliases: string[], options: AliasOptions): void {
    for (const alias of aliases) {
      this.context.checkAliasName(alias);
      for (const index of indices) this.staged(index).set(alias, options);
    }
  }

  private remove(indices: EsIndex[], aliases: string[], mustExist: boolean): EsError | undefined {
    for (const pattern of aliases) {
      const matches = wildcardMatcher(pattern);
      let removed = 0;
      for (const index of indices) {
        const staged = this.staged(index);
        for (const alias of [...staged.keys()].filter(matches)) {
          staged.delete(alias);
          removed += 1;
        }
      }
      if (removed === 0) {
        const missing = new EsError(404, 'aliases_not_found_exception', `aliases [${pattern}] missing`, { 'resource.type': 'aliases', 'resource.id': pattern });
        if (mustExist) throw missing;
        return missing;
      }
    }
    return undefined;
  }

  private removeIndices(indices: EsIndex[]): void {
    for (const index of indices) {
      this.plan.removedIndices.add(index);
      this.plan.aliases.delete(index);
    }
  }
}

/**
 * Validates and stages alias actions in order, without changing anything. Throws on the first invalid action,
 * or when every action failed; a missing alias in `remove` (without `must_exist: true`) only fails that action.
 */
export function applyAliasActions(actions: AliasAction[], context: AliasActionContext): AliasPlan {
  if (!Array.isArray(actions) || actions.length === 0) {
    throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: no aliases actions specified;');
  }
  const planner = new AliasPlanner(context);
  for (const action of actions) planner.apply(action);
  const [firstFailure] = planner.failures;
  if (firstFailure && planner.failures.length === actions.length) throw firstFailure;
  return planner.plan;
}

/** Every index and alias name or pattern the actions address, for authorization before they are planned. */
export function aliasActionNames(actions: unknown): string[] {
  if (!Array.isArray(actions)) return [];
  return actions
    .flatMap((action: unknown) => (typeof action === 'object' && action !== null ? Object.values(action) : []))
    .filter((body): body is Record<string, unknown> => typeof body === 'object' && body !== null)
    .flatMap((body) => [...names(body['index'], body['indices']), ...names(body['alias'], body['aliases'])]);
}
