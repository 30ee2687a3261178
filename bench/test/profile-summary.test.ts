import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { busyByLayer, summarizeProfile } from '../load/inspector-profiler.js';

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

  it('splits the busy samples by layer, leaving idle time out', () => {
    const layers = busyByLayer([
      ['(idle)', 50],
      ['node internals', 10],
      ['writeBuffer', 5],
      ['@grpc/grpc-js', 5],
      ['@opentelemetry/sdk-trace', 10],
      ['mongodb', 8],
      ['bson', 2],
      ['services/products', 5],
      ['runMicrotasks', 5],
    ]);
    expect(layers).toEqual([
      ['transport (grpc-js, Connect, Node http2, net, streams, native I/O)', 40],
      ['OpenTelemetry (spans, metrics, OTLP export)', 20],
      ['MongoDB driver', 20],
      ["the project's own code", 10],
      ['other native work (microtasks, timers, string codecs)', 10],
    ]);
  });
});
