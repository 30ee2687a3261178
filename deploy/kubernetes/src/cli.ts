import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { layoutRoot, writeLayout } from './layout-files.js';
import { renderOverlay } from './render.js';
import { overlayNames, type OverlayName } from './settings.js';

const usage = `usage: npm run k8s:render -- --overlay ${overlayNames.join('|')}   print one overlay's objects as YAML
       npm run k8s:render -- --write                  write base/ and overlays/ under deploy/kubernetes`;

const { values } = parseArgs({ options: { overlay: { type: 'string' }, write: { type: 'boolean', default: false } } });
if (values.write) {
  console.log(`wrote ${writeLayout()} files under ${layoutRoot}`);
} else if (values.overlay && (overlayNames as readonly string[]).includes(values.overlay)) {
  process.stdout.write(renderOverlay(values.overlay as OverlayName).map((object) => stringify(object, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n'));
} else {
  console.error(usage);
  process.exit(2);
}
