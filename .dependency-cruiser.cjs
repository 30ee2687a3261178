/**
 * Ownership and layer rules of the Database-per-Service pattern, checked by `npm run check:ownership` and CI.
 * The store drivers and their owners come from the system map (packages/system-map), loaded through tsx.
 */
const { require: requireTs } = require('tsx/cjs/api');
const { driverOwners } = requireTs('./packages/system-map/src/index.ts', __filename);

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const drivers = driverOwners();
const anyDriver = `(^|/)node_modules/(${drivers.map(({ driver }) => escape(driver)).join('|')})/`;

/** A rule of the service shell's layers (CONTRIBUTING.md). */
const layer = (name, comment, from, to) => ({ name, severity: 'error', comment, from: { path: from }, to });

module.exports = {
  forbidden: [
    {
      name: 'no-cross-service-imports',
      severity: 'error',
      comment: 'A service reaches another service only through its API or its events, never through its code.',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/', pathNot: '^services/$1/' },
    },
    ...drivers.map(({ driver, owners }) => ({
      name: `${driver.replace(/[@/]/g, '-').replace(/^-/, '')}-only-in-${owners.join('-and-')}`,
      severity: 'error',
      comment: `The ${driver} driver belongs to the service(s) owning that store in the system map: ${owners.join(', ')}.`,
      from: { path: '^services/', pathNot: `^services/(${owners.join('|')})/` },
      to: { path: `(^|/)node_modules/${escape(driver)}/` },
    })),
    {
      name: 'domain-is-plain',
      severity: 'error',
      comment: "A service's domain/ imports nothing from its api/, storage/, events/ or peers/.",
      from: { path: '^services/([^/]+)/src/domain/' },
      to: { path: '^services/$1/src/(api|storage|events|peers)/' },
    },
    layer('domain-without-contracts', 'Domain code never imports the generated contracts (@shop/gen); api/ maps proto to domain.', '^services/[^/]+/src/domain/', {
      path: '^gen/',
    }),
    layer('domain-without-drivers', 'Domain code never imports a store driver; storage/ adapts the store to domain ports.', '^services/[^/]+/src/domain/', {
      path: anyDriver,
    }),
    layer(
      'domain-errors-only-from-runtime',
      'Domain code takes only @shop/runtime/errors and @shop/runtime/tracing (spans through @opentelemetry/api) from the runtime, never the barrel that loads grpc-js, NATS and pino.',
      '^services/[^/]+/src/domain/',
      { path: '^packages/runtime/', pathNot: '^packages/runtime/src/(errors|telemetry/tracing)\\.ts$' },
    ),
    layer('api-not-storage', 'The api layer reaches the store only through the domain, never storage/ directly.', '^services/([^/]+)/src/api/', {
      path: '^services/$1/src/storage/',
    }),
    layer('storage-not-api', 'Storage adapts a store to domain ports; it never imports the api layer.', '^services/([^/]+)/src/storage/', {
      path: '^services/$1/src/api/',
    }),
    layer('inbound-events-through-domain', 'Inbound event handlers decode an event and call the domain, never storage/ directly.', '^services/([^/]+)/src/events/inbound/', {
      path: '^services/$1/src/storage/',
    }),
    {
      name: 'services-do-not-use-local-infrastructure',
      severity: 'error',
      comment: 'Service code never depends on the local stack or the stand-ins; only their tests may start them.',
      from: { path: '^services/[^/]+/src/' },
      to: { path: '^infra/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(\\.local|\\.data|dist)/' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
    tsConfig: { fileName: 'tsconfig.json' },
    preserveSymlinks: false,
  },
};
