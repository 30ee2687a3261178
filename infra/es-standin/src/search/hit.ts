import type { EsIndex } from '../store/es-index.js';
import type { StoredDocument } from '../store/stored-document.js';

/** A document that matched a search, with its score and position for tie-breaking. */
export interface Match {
  index: EsIndex;
  doc: StoredDocument;
  score: number;
  order: number;
}

/** A value in a hit's `sort` array. */
export type SortValue = string | number | null;
