import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { RatioRow } from './ratio-rows.js';

const FONT_FILES = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'];

function chartSpec(rows: readonly RatioRow[]): TopLevelSpec {
  const position = {
    x: { field: 'phase', type: 'nominal', sort: null, title: null, axis: { labelAngle: 0 } },
    xOffset: { field: 'mode', type: 'nominal' },
    y: { field: 'p99', type: 'quantitative', title: 'p99 latency ÷ idle p99 (same mode)' },
  } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: 'Noisy neighbour: p99 latency during each attack on the orders database, relative to idle', font: 'DejaVu Sans' },
    config: { font: 'DejaVu Sans', background: 'white', legend: { labelLimit: 400 } },
    data: { values: rows.map((row) => ({ operation: row.operation, phase: row.phase, mode: row.mode, p99: row.ratios.p99 })) },
    facet: { column: { field: 'operation', type: 'nominal', sort: [...new Set(rows.map((row) => row.operation))], title: null, header: { labelFontSize: 13 } } },
    spec: {
      width: 220,
      height: 280,
      layer: [
        { mark: 'bar', encoding: { ...position, color: { field: 'mode', type: 'nominal', title: null, legend: { orient: 'bottom' } } } },
        { mark: { type: 'text', dy: -6, fontSize: 9 }, encoding: { ...position, text: { field: 'p99', type: 'quantitative', format: '.1f' } } },
        { mark: { type: 'rule', strokeDash: [4, 4], color: '#555' }, encoding: { y: { datum: 1 } } },
      ],
    },
  };
}

/** Renders a grouped bar chart of the p99 ratios (operations side by side, phases grouped, one bar per mode) as PNG. */
export async function p99ChartPng(rows: readonly RatioRow[]): Promise<Buffer> {
  const view = new vega.View(vega.parse(compile(chartSpec(rows)).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, { font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' }, fitTo: { mode: 'zoom', value: 2 }, background: 'white' });
  return png.render().asPng();
}
