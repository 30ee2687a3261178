import { readFile, writeFile } from 'node:fs/promises';
import { decode, encode, type SourceMapSegment } from '@jridgewell/sourcemap-codec';

/** The parts of a version 3 source map this file reads and rewrites. */
interface SourceMapFile {
  sources: string[];
  sourcesContent?: Array<string | null>;
  mappings: string;
}

/** The lines' segments with each run of unmapped ones cut to the one that starts it, which is all a lookup needs. */
function withoutRepeatedUnmapped(lines: SourceMapSegment[][], isMapped: (segment: SourceMapSegment) => boolean): SourceMapSegment[][] {
  let inUnmappedRun = false;
  return lines.map((line) =>
    line.flatMap((segment) => {
      if (isMapped(segment)) {
        inUnmappedRun = false;
        return [segment];
      }
      if (inUnmappedRun) return [];
      inUnmappedRun = true;
      return [[segment[0]] as SourceMapSegment];
    }),
  );
}

/**
 * Keeps an output's source map to the project's own sources: code compiled in from node_modules becomes unmapped
 * (its stack frames name the output's line), so when the first stack trace is printed Node's --enable-source-maps
 * decodes some thousand mappings of the project instead of hundreds of thousands of every npm module in the bundle.
 */
export async function keepProjectSourcesMapped(mapFile: string): Promise<void> {
  const map = JSON.parse(await readFile(mapFile, 'utf8')) as SourceMapFile;
  const fromNpm = new Set(map.sources.flatMap((source, index) => (source.includes('node_modules/') ? [index] : [])));
  map.mappings = encode(withoutRepeatedUnmapped(decode(map.mappings), (segment) => segment.length > 1 && !fromNpm.has(segment[1]!)));
  if (map.sourcesContent) map.sourcesContent = map.sourcesContent.map((content, index) => (fromNpm.has(index) ? null : content));
  await writeFile(mapFile, JSON.stringify(map));
}
