/** Ownership rules of the Database-per-Service pattern, checked by `npm run check:ownership` and CI. */
const drivers = [
  { module: 'pg', owners: ['orders', 'users'] },
  { module: 'mongodb', owners: ['products'] },
  { module: '@elastic/elasticsearch', owners: ['search'] },
  { module: 'ioredis', owners: ['cart'] },
  { module: '@duckdb/node-api', owners: ['analytics'] },
];

module.exports = {
  forbidden: [
    {
      name: 'no-cross-service-imports',
      severity: 'error',
      comment: 'A service reaches another service only through its API or its events, never through its code.',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/', pathNot: '^services/$1/' },
    },
    ...drivers.map(({ module: driver, owners }) => ({
      name: `${driver.replace(/[@/]/g, '-').replace(/^-/, '')}-only-in-${owners.join('-and-')}`,
      severity: 'error',
      comment: `The ${driver} driver belongs to the service(s) owning that store: ${owners.join(', ')}.`,
      from: { path: '^services/', pathNot: `^services/(${owners.join('|')})/` },
      to: { path: `(^|/)node_modules/${driver.replace('/', '\\/')}/` },
    })),
    {
      name: 'domain-is-plain',
      severity: 'error',
      comment: "A service's domain/ imports nothing from its api/ or storage/.",
      from: { path: '^services/([^/]+)/src/domain/' },
      to: { path: '^services/$1/src/(api|storage)/' },
    },
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
    exclude: { path: '(^|/)(\\.local|\\.data)/' },
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
