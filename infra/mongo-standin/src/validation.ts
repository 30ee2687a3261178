import type { Document } from 'bson';
import { Query } from 'mingo';
import { commandError } from './errors.js';

/** Rejects a document that fails the collection's query-operator validator (`validationAction: "error"`). */
export function enforceValidator(options: Document, document: Document): void {
  const validator = options.validator as Document | undefined;
  if (!validator || options.validationLevel === 'off' || options.validationAction === 'warn') return;
  const { $jsonSchema: _schema, ...queryValidator } = validator;
  if (Object.keys(queryValidator).length === 0) return;
  if (new Query(queryValidator, {}).test(document)) return;
  throw commandError('DocumentValidationFailure', 'Document failed validation', {
    errInfo: { failingDocumentId: document._id, details: { operatorName: '$and', schemaRulesNotSatisfied: [] } },
  });
}
