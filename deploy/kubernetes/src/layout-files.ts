import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderLayout } from './layout.js';

/** deploy/kubernetes, where the layout is written. */
export const layoutRoot = fileURLToPath(new URL('..', import.meta.url));

/** The folders the renderer owns entirely: every file in them is rendered. */
export const renderedFolders = ['base', 'overlays', 'secrets'];

/** The files now under the rendered folders, by path relative to deploy/kubernetes. */
export function committedLayout(): Map<string, string> {
  const files = renderedFolders.flatMap((folder) =>
    readdirSync(join(layoutRoot, folder), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name)),
  );
  return new Map(files.map((file) => [relative(layoutRoot, file), readFileSync(file, 'utf8')]));
}

/** Replaces the rendered folders with a fresh render; returns how many files were written. */
export function writeLayout(): number {
  for (const folder of renderedFolders) rmSync(join(layoutRoot, folder), { recursive: true, force: true });
  const layout = renderLayout();
  for (const [path, content] of layout) {
    mkdirSync(dirname(join(layoutRoot, path)), { recursive: true });
    writeFileSync(join(layoutRoot, path), content, { mode: path.endsWith('.sh') ? 0o755 : 0o644 });
  }
  return layout.size;
}
