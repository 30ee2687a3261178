import type { Plugin } from 'esbuild';

/** What umzug's left-out command-line interface answers when something constructs it. */
export const UMZUG_CLI_LEFT_OUT = "umzug's command-line interface is left out of this build";

/**
 * umzug's index and its Umzug class load its command-line interface, and through it @rushstack/ts-command-line,
 * @rushstack/node-core-library, z-schema and fs-extra: about 900 KiB of products' bundle, run at every start, though
 * nothing here runs umzug's CLI (products applies its migrations with `Umzug.up`). In the bundles, umzug's `./cli` is
 * a module whose UmzugCLI throws, so `runAsCLI` fails with UMZUG_CLI_LEFT_OUT instead of loading it.
 */
export function withoutUmzugCli(): Plugin {
  const namespace = 'without-umzug-cli';
  return {
    name: namespace,
    setup(builder) {
      builder.onResolve({ filter: /^\.\/cli$/ }, (args) => (/[\\/]umzug[\\/]lib[\\/][^\\/]+\.js$/.test(args.importer) ? { path: 'umzug-cli', namespace } : undefined));
      builder.onLoad({ filter: /.*/, namespace }, () => ({
        contents: `export class UmzugCLI { constructor() { throw new Error(${JSON.stringify(UMZUG_CLI_LEFT_OUT)}); } }`,
        loader: 'js',
      }));
    },
  };
}
