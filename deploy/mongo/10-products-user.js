/* global db, process */
// Run once by the official mongo image (docker-entrypoint-initdb.d, as the root user) on an empty data directory:
// the products service's own user, on the products database and nothing else: readWrite for its data, dbAdmin for
// its migrations (V4 runs collMod, which readWrite does not grant).
const password = process.env.PRODUCTS_MONGO_PASSWORD;
if (!password) throw new Error('mongo init: PRODUCTS_MONGO_PASSWORD is required');

db.getSiblingDB('products').createUser({
  user: 'products_svc',
  pwd: password,
  roles: [
    { role: 'readWrite', db: 'products' },
    { role: 'dbAdmin', db: 'products' },
  ],
});
