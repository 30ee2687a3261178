import type { Document } from 'bson';
import { commandError } from './errors.js';
import { matches } from './query.js';

/** Rejects a document that fails the collection's validator (query operators and `$jsonSchema`) when `validationAction` is "error". */
export function enforceValidator(options: Document, document: Document): void {
  const validator = options.validator as Document | undefined;
  if (!validator || options.validationLevel === 'off' || options.validationAction === 'warn') return;
  if (matches(validator, document)) return;
  throw commandError('DocumentValidationFailure', 'Document failed validation', {
    errInfo: { failingDocumentId: document._id, details: { operatorName: '$and', schemaRulesNotSatisfied: [] } },
  });
}
