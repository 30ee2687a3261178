import type { DocumentFields } from '../mapping/document-fields.js';

/** The version bookkeeping Elasticsearch keeps per document. */
export interface VersionInfo {
  version: number;
  seqNo: number;
  primaryTerm: number;
}

/** A live document: its source, versions and indexed fields. */
export interface StoredDocument extends VersionInfo {
  id: string;
  source: Record<string, unknown>;
  fields: DocumentFields;
}
