interface TrieNode {
  children: Map<string, TrieNode>;
  /** Terms ending at or below this node. */
  count: number;
  term?: string;
}

/** How many walks' answers are kept between changes of the dictionary. */
const maxAnswers = 1_000;

const newNode = (): TrieNode => ({ children: new Map(), count: 0 });

/**
 * The term dictionary of one text field as a trie (UTF-16 code units), kept as terms appear and disappear, so fuzzy
 * expansion walks only the prefixes still within reach of the query term, as Lucene intersects a Levenshtein
 * automaton with its term dictionary, instead of comparing the term with every indexed term.
 */
export class TermTrie {
  private readonly root = newNode();
  /** Answers of {@link within} since the dictionary last changed (a memo of the current terms, never stale). */
  private readonly answers = new Map<string, string[]>();

  /** Adds a term (once per distinct term). */
  add(term: string): void {
    this.answers.clear();
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
    this.answers.clear();
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
    const key = `${maxEdits}:${query}`;
    const known = this.answers.get(key);
    if (known) return [...known];
    const walk = new FuzzyWalk(query, maxEdits);
    if (this.root.term !== undefined && query.length <= maxEdits) walk.found.push(this.root.term);
    for (const [unit, child] of this.root.children) walk.visit(child, unit.charCodeAt(0), -1, 1);
    if (this.answers.size >= maxAnswers) this.answers.clear();
    this.answers.set(key, walk.found);
    return [...walk.found];
  }
}

/** One fuzzy walk of a trie: the query's code units and one reusable matrix row per depth. */
class FuzzyWalk {
  readonly found: string[] = [];
  private readonly units: Int32Array;
  private readonly rows: Int32Array[] = [];

  constructor(
    query: string,
    private readonly maxEdits: number,
  ) {
    this.units = Int32Array.from({ length: query.length }, (_, position) => query.charCodeAt(position));
    this.rows.push(Int32Array.from({ length: query.length + 1 }, (_, position) => position));
  }

  /** Fills the row of a node at `depth` whose code unit is `unit` (its parent's is `previous`, -1 at the root's children). */
  visit(node: TrieNode, unit: number, previous: number, depth: number): void {
    const { units, maxEdits } = this;
    const width = units.length + 1;
    const above = this.rows[depth - 1]!;
    const twoAbove = depth > 1 ? this.rows[depth - 2]! : undefined;
    let row = this.rows[depth];
    if (!row) this.rows.push((row = new Int32Array(width)));
    row[0] = depth;
    let best = depth;
    for (let column = 1; column < width; column += 1) {
      const cost = units[column - 1] === unit ? 0 : 1;
      let value = above[column - 1]! + cost;
      const deletion = above[column]! + 1;
      if (deletion < value) value = deletion;
      const insertion = row[column - 1]! + 1;
      if (insertion < value) value = insertion;
      if (twoAbove && column > 1 && units[column - 2] === unit && units[column - 1] === previous) {
        const transposition = twoAbove[column - 2]! + cost;
        if (transposition < value) value = transposition;
      }
      row[column] = value;
      if (value < best) best = value;
    }
    if (node.term !== undefined && row[width - 1]! <= maxEdits) this.found.push(node.term);
    if (best > maxEdits) return;
    for (const [next, child] of node.children) this.visit(child, next.charCodeAt(0), unit, depth + 1);
  }
}

function codeUnits(term: string): string[] {
  const units: string[] = [];
  for (let position = 0; position < term.length; position += 1) units.push(term[position]!);
  return units;
}
