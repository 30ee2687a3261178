import { dirname } from 'node:path';
import type { Plugin } from 'esbuild';

/** What umzug's left-out command-line interface answers when something constructs it. */
export const UMZUG_CLI_LEFT_OUT = "umzug's command-line interface is left out of this build";

/** A module an npm dependency imports that the bundles replace with a small one, for a part nothing here uses. */
interface LeftOutModule {
  /** The importing files. */
  readonly importer: RegExp;
  /** The specifier as they write it. */
  readonly specifier: string;
  /** The replacement's source; relative imports resolve from the importer's folder. */
  readonly contents: string;
}

const LEFT_OUT: readonly LeftOutModule[] = [
  // umzug's index and its Umzug class load its command-line interface, and through it @rushstack/ts-command-line,
  // @rushstack/node-core-library, z-schema and fs-extra: about 900 KiB of products' bundle run at every start. Products
  // applies its migrations with Umzug.up and never runs the CLI; runAsCLI now fails with UMZUG_CLI_LEFT_OUT.
  {
    importer: /[\\/]node_modules[\\/]umzug[\\/]lib[\\/][^\\/]+\.js$/,
    specifier: './cli',
    contents: `export class UmzugCLI { constructor() { throw new Error(${JSON.stringify(UMZUG_CLI_LEFT_OUT)}); } }`,
  },
  // zod's `z` namespace carries all of its 64 message locales (z.locales), about 360 KiB of every service's bundle.
  // Errors are in English (zod's default, which its schemas import directly), and nothing here switches locale; the
  // namespace keeps `en` only.
  {
    importer: /[\\/]node_modules[\\/]zod[\\/]v4[\\/](?:classic|core)[\\/][^\\/]+\.js$/,
    specifier: '../locales/index.js',
    contents: "export { default as en } from '../locales/en.js';",
  },
];

/** Replaces the LEFT_OUT modules of npm dependencies in a bundle. */
export function leftOutModules(): Plugin {
  const namespace = 'left-out-module';
  return {
    name: namespace,
    setup(builder) {
      for (const { importer, specifier, contents } of LEFT_OUT) {
        const filter = new RegExp(`^${specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
        builder.onResolve({ filter }, (args) =>
          importer.test(args.importer) ? { path: `${args.importer}:${specifier}`, namespace, pluginData: { contents, resolveDir: dirname(args.importer) } } : undefined,
        );
      }
      builder.onLoad({ filter: /.*/, namespace }, (args) => {
        const { contents, resolveDir } = args.pluginData as { contents: string; resolveDir: string };
        return { contents, resolveDir, loader: 'js' };
      });
    },
  };
}
