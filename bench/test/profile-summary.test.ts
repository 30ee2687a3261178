import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { allocatedBytes, allocationsAsNodes, busyByLayer, summarizeProfile } from '../load/inspector-profiler.js';

describe('bench/load profile summary', () => {
  let dir: string;
  let bundleUrl: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'profile-summary-'));
    const bundle = join(dir, 'services', 'demo', 'dist', 'main.js');
    await mkdir(join(dir, 'services', 'demo', 'dist'), { recursive: true });
    const lines = [
      '// @__NO_SIDE_EFFECTS__',
      '// node_modules/@bufbuild/protobuf/dist/esm/to-binary.js',
      'function toBinary() {}',
      '// node_modules/mongodb/lib/cursor.js',
      'function toArray() {}',
      '// services/demo/src/api/service.ts',
      'function getThing() {}',
    ];
    await writeFile(bundle, `${lines.join('\n')}\n`);
    bundleUrl = pathToFileURL(bundle).href;
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('attributes bundled code to the module esbuild compiled it from, and everything else by its own file', () => {
    const frame = (functionName: string, url: string, lineNumber: number) => ({ functionName, url, lineNumber });
    const profile = {
      nodes: [
        { hitCount: 4, callFrame: frame('toBinary', bundleUrl, 2) },
        { hitCount: 2, callFrame: frame('toArray', bundleUrl, 4) },
        { hitCount: 1, callFrame: frame('getThing', bundleUrl, 6) },
        { hitCount: 2, callFrame: frame('write', 'node:internal/http2/core', 10) },
        { hitCount: 1, callFrame: frame('decode', pathToFileURL(join(dir, 'node_modules', '@grpc', 'grpc-js', 'build', 'src', 'stream-decoder.js')).href, 3) },
        { hitCount: 0, callFrame: frame('(root)', '', 0) },
      ],
    };
    const { packages, functions } = summarizeProfile(profile);
    expect(packages).toEqual([
      ['@bufbuild/protobuf', 40],
      ['mongodb', 20],
      ['node internals', 20],
      ['services/demo', 10],
      ['@grpc/grpc-js', 10],
    ]);
    expect(functions[0]).toEqual(['toBinary @bufbuild/protobuf/dist/esm/to-binary.js (services/demo/dist/main.js:3)', 40]);
    expect(functions.map(([name]) => name)).toContain('getThing services/demo/src/api/service.ts (services/demo/dist/main.js:7)');
  });

  it('marks native frames, which have no script, so that they are not taken for npm packages of the same name', () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
    const nodes = [frame('writev', ''), frame('(garbage collector)', ''), frame('', ''), frame('parse', pathToFileURL(join(dir, 'node_modules', 'writev', 'index.js')).href)].map((callFrame) => ({ hitCount: 1, callFrame }));
    const { packages } = summarizeProfile({ nodes });
    expect(packages.map(([pkg]) => pkg).sort()).toEqual(['(garbage collector)', '(native)', 'writev', 'writev (native)']);
    expect(busyByLayer(packages).map(([layer]) => layer).sort()).toEqual(['V8 (garbage collector)', 'other native work (microtasks, timers, string codecs)', 'other packages', 'transport (grpc-js, Connect, Node http2, net, streams, native I/O)']);
  });

  it('splits the busy samples by layer, leaving idle time out', () => {
    const layers = busyByLayer([
      ['(idle)', 50],
      ['node internals', 10],
      ['writeBuffer (native)', 5],
      ['@grpc/grpc-js', 5],
      ['@opentelemetry/sdk-trace', 12],
      ['mongodb', 8],
      ['bson', 2],
      ['services/products', 5],
      ['runMicrotasks (native)', 6],
      ['undici', 4],
      ['secure-json-parse', 3],
      ['@elastic/transport', 4],
      ['pino', 9],
    ]);
    const rounded = layers.map(([layer, share]) => [layer, Math.round(share * 10) / 10]);
    expect(rounded).toEqual([
      ['transport (grpc-js, Connect, Node http2, net, streams, native I/O)', 27.4],
      ['OpenTelemetry (spans, metrics, OTLP export)', 16.4],
      ['Elasticsearch client (its transport, undici, reply JSON parsing)', 15.1],
      ['MongoDB driver', 13.7],
      ['other packages', 12.3],
      ['other native work (microtasks, timers, string codecs)', 8.2],
      ["the project's own code", 6.8],
    ]);
  });

  it('sums an allocation profile\'s bytes over its whole tree and shares them by package as self time is', () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
    const grpc = pathToFileURL(join(dir, 'node_modules', '@grpc', 'grpc-js', 'build', 'src', 'server.js')).href;
    const profile = {
      head: {
        callFrame: frame('(root)', ''),
        selfSize: 0,
        children: [
          { callFrame: frame('handleUnary', grpc), selfSize: 3000, children: [{ callFrame: frame('toBinary', bundleUrl), selfSize: 0, children: [] }] },
          { callFrame: frame('processHeader', 'node:internal/http2/util'), selfSize: 1000, children: [{ callFrame: frame('Map', ''), selfSize: 4000, children: [] }] },
        ],
      },
    };
    expect(allocatedBytes(profile)).toBe(8000);
    const { packages } = summarizeProfile(allocationsAsNodes(profile));
    expect(packages).toEqual([
      ['Map (native)', 50],
      ['@grpc/grpc-js', 37.5],
      ['node internals', 12.5],
    ]);
  });
});
