import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { renderLayout } from './layout.js';
import { renderOverlay } from './render.js';
import { overlayNames, type OverlayName } from './settings.js';

/** deploy/kubernetes, where the layout is written. */
export const layoutRoot = fileURLToPath(new URL('..', import.meta.url));

/** The folders the renderer owns entirely: every file in them is rendered. */
export const renderedFolders = ['base', 'overlays'];

function listFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

function writeLayout(): void {
  for (const folder of renderedFolders) rmSync(join(layoutRoot, folder), { recursive: true, force: true });
  for (const [path, content] of renderLayout()) {
    mkdirSync(dirname(join(layoutRoot, path)), { recursive: true });
    writeFileSync(join(layoutRoot, path), content);
  }
  const written = renderedFolders.flatMap((folder) => listFiles(join(layoutRoot, folder)));
  console.log(`wrote ${written.length} files under ${layoutRoot}`);
}

const { values } = parseArgs({ options: { overlay: { type: 'string' }, write: { type: 'boolean', default: false } } });
if (values.write) writeLayout();
else if (values.overlay && (overlayNames as readonly string[]).includes(values.overlay)) {
  process.stdout.write(renderOverlay(values.overlay as OverlayName).map((object) => stringify(object, { lineWidth: 0 })).join('---\n'));
} else {
  console.error(`usage: npm run k8s:render -- --overlay ${overlayNames.join('|')}   (print one overlay's objects)\n       npm run k8s:render -- --write            (write base/ and overlays/)`);
  process.exit(2);
}
