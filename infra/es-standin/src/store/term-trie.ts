interface TrieNode {
  children: Map<string, TrieNode>;
  /** Terms ending at or below this node. */
  count: number;
  term?: string;
}

const newNode = (): TrieNode => ({ children: new Map(), count: 0 });

/**
 * The term dictionary of one text field as a trie (UTF-16 code units), kept as terms appear and disappear, so fuzzy
 * expansion walks only the prefixes still within reach of the query term, as Lucene intersects a Levenshtein
 * automaton with its term dictionary, instead of comparing the term with every indexed term.
 */
export class TermTrie {
  private readonly root = newNode();

  /** Adds a term (once per distinct term). */
  add(term: string): void {
    let node = this.root;
    node.count += 1;
    for (const unit of codeUnits(term)) {
      let child = node.children.get(unit);
      if (!child) node.children.set(unit, (child = newNode()));
      child.count += 1;
      node = child;
    }
    node.term = term;
  }

  /** Removes a term that was added. */
  remove(term: string): void {
    const path: TrieNode[] = [this.root];
    for (const unit of codeUnits(term)) {
      const child = path.at(-1)!.children.get(unit);
      if (!child) return;
      path.push(child);
    }
    if (path.at(-1)!.term !== term) return;
    path.at(-1)!.term = undefined;
    const units = codeUnits(term);
    for (let depth = path.length - 1; depth >= 0; depth -= 1) {
      path[depth]!.count -= 1;
      if (depth > 0 && path[depth]!.count === 0) path[depth - 1]!.children.delete(units[depth - 1]!);
    }
  }

  /**
   * Every term within `maxEdits` of the query term by optimal string alignment distance (insertions, deletions,
   * substitutions and adjacent transpositions, in code units), walking the trie with one row of the distance matrix
   * per depth and leaving a branch once every cell of its row exceeds the limit (no longer path can come back under it).
   */
  within(query: string, maxEdits: number): string[] {
    const found: string[] = [];
    const width = query.length + 1;
    const first = Array.from({ length: width }, (_, position) => position);
    const walk = (node: TrieNode, unit: string, previousUnit: string | undefined, above: number[], twoAbove: number[] | undefined, depth: number) => {
      const row = new Array<number>(width);
      row[0] = depth;
      let best = depth;
      for (let column = 1; column < width; column += 1) {
        const cost = query[column - 1] === unit ? 0 : 1;
        let value = Math.min(above[column]! + 1, row[column - 1]! + 1, above[column - 1]! + cost);
        if (twoAbove && column > 1 && query[column - 2] === unit && query[column - 1] === previousUnit) value = Math.min(value, twoAbove[column - 2]! + cost);
        row[column] = value;
        if (value < best) best = value;
      }
      if (node.term !== undefined && row[width - 1]! <= maxEdits) found.push(node.term);
      if (best > maxEdits) return;
      for (const [next, child] of node.children) walk(child, next, unit, row, above, depth + 1);
    };
    if (this.root.term !== undefined && query.length <= maxEdits) found.push(this.root.term);
    for (const [unit, child] of this.root.children) walk(child, unit, undefined, first, undefined, 1);
    return found;
  }
}

function codeUnits(term: string): string[] {
  const units: string[] = [];
  for (let position = 0; position < term.length; position += 1) units.push(term[position]!);
  return units;
}
