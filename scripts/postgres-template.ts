import { preparePostgresTemplate } from '@shop/local-stack';

/**
 * Makes the initialised PostgreSQL cluster that every local cluster starts as a copy of (run by setup), so a first
 * npm start or test run copies a folder instead of running initdb once per cluster. Does nothing when it exists.
 */
if (!(await preparePostgresTemplate())) {
  console.log('setup: no PostgreSQL template (the PostgreSQL OS user cannot write under node_modules/.cache); each cluster runs initdb instead');
}
