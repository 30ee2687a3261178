import type { DocumentFields } from '../mapping/document-fields.js';

/** The version bookkeeping Elasticsearch keeps per document. */
export interface VersionInfo {
  version: number;
  seqNo: number;
  primaryTerm: number;
}

/** A live document: its source, versions, custom routing, indexed fields and its number in the inverted index. */
export interface StoredDocument extends VersionInfo {
  id: string;
  source: Record<string, unknown>;
  routing?: string;
  fields: DocumentFields;
  docNo: number;
}
