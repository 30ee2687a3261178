import { Router } from '../http/router.js';
import { registerAliasRoutes } from './aliases.js';
import { registerBulkRoutes } from './bulk.js';
import { registerDocumentRoutes } from './documents.js';
import { registerIndexRoutes } from './indices.js';
import { registerRootRoutes } from './root.js';
import { registerSearchRoutes } from './search.js';

/** The router with every endpoint the stand-in answers. */
export function createRoutes(): Router {
  const router = new Router();
  registerRootRoutes(router);
  registerIndexRoutes(router);
  registerAliasRoutes(router);
  registerDocumentRoutes(router);
  registerBulkRoutes(router);
  registerSearchRoutes(router);
  return router;
}
