export { DEFAULT_PORTS, systemPorts, type SystemPorts } from './ports.js';
export { serviceEnvironments, serviceAddress, SERVICE_NAMES, type ServiceName } from './service-env.js';
export { endpointRows, formatTable, redact } from './endpoints.js';
export { demoProducts, demoUsers } from './demo-data.js';
export { COMPILE_CACHE_DIR, LOCAL_NODE_FLAGS } from './supervision/node-flags.js';
