import type { Document } from 'bson';
import { commandError } from './errors.js';
import { compiledFilter, type CompiledFilter } from './query.js';

const compiledValidators = new WeakMap<Document, CompiledFilter>();

/** The validator compiled once per collection options (they are replaced, never changed in place, by collMod). */
function validatorOf(validator: Document): CompiledFilter {
  let compiled = compiledValidators.get(validator);
  if (!compiled) {
    compiled = compiledFilter(validator);
    compiledValidators.set(validator, compiled);
  }
  return compiled;
}

/** Rejects a document that fails the collection's validator (query operators and `$jsonSchema`) when `validationAction` is "error". */
export function enforceValidator(options: Document, document: Document): void {
  const validator = options.validator as Document | undefined;
  if (!validator || options.validationLevel === 'off' || options.validationAction === 'warn') return;
  if (validatorOf(validator).test(document)) return;
  throw commandError('DocumentValidationFailure', 'Document failed validation', {
    errInfo: { failingDocumentId: document._id, details: { operatorName: '$and', schemaRulesNotSatisfied: [] } },
  });
}
