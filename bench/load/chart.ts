import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

const FONT_FILES = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'];

/** One bar: a call and its req/s as a share of the echo's. */
export interface ShareBar {
  readonly call: string;
  readonly sharePercent: number;
  /** The target share, when the issue sets one. */
  readonly targetPercent?: number;
}

function chartSpec(bars: readonly ShareBar[]): TopLevelSpec {
  const y = { field: 'call', type: 'nominal', sort: null, title: null, axis: { labelLimit: 420 } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: 'Throughput under load as a share of the bare grpc-js echo (same machine, same run)', font: 'DejaVu Sans' },
    config: { font: 'DejaVu Sans', background: 'white' },
    width: 560,
    height: { step: 26 },
    data: { values: bars.map((bar) => ({ ...bar, label: `${bar.sharePercent.toFixed(1)} %` })) },
    layer: [
      { mark: { type: 'bar', color: '#4c78a8' }, encoding: { y, x: { field: 'sharePercent', type: 'quantitative', title: 'req/s ÷ echo req/s (%)', scale: { type: 'symlog' } } } },
      { mark: { type: 'text', align: 'left', dx: 4, fontSize: 10 }, encoding: { y, x: { field: 'sharePercent', type: 'quantitative' }, text: { field: 'label' } } },
      { mark: { type: 'tick', color: '#d62728', thickness: 2 }, encoding: { y, x: { field: 'targetPercent', type: 'quantitative' } } },
    ],
  };
}

/** Renders the shares as a horizontal bar chart (targets as red ticks) to PNG. */
export async function shareChartPng(bars: readonly ShareBar[]): Promise<Buffer> {
  const view = new vega.View(vega.parse(compile(chartSpec(bars)).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return new Resvg(svg, { font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' }, fitTo: { mode: 'zoom', value: 2 }, background: 'white' }).render().asPng();
}
