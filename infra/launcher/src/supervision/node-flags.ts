/**
 * V8 flags for every Node process the launcher runs (services, stand-ins). V8 lets the young generation grow to
 * 16 MiB per semi-space while modules load and keeps it resident afterwards; 2 MiB semi-spaces hold each process's
 * short-lived garbage at a laptop's scale for about 40 MiB less resident memory per process.
 */
export const LOCAL_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];
