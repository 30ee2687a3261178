import type { FieldKind } from './field-types.js';

/** One searchable field, flattened from the mapping tree (sub-fields such as `name.keyword` included). */
export interface FieldMapping {
  path: string;
  sourcePath: string;
  type: string;
  kind: FieldKind;
  analyzer?: string;
  searchAnalyzer?: string;
  ignoreAbove?: number;
  scalingFactor?: number;
  index: boolean;
}
