/* global db, process, print, sleep */
// One-shot store init, run by mongosh at every `docker compose up` (not only on an empty volume), as root: the products
// service's own user, created when missing and otherwise updated, so its password and roles always match this file.
// readWrite serves the service; dbAdmin (collMod, validators) serves its migrations. Nothing outside `products`.
const password = process.env.PRODUCTS_MONGO_PASSWORD;
if (!password || /[^A-Za-z0-9._~-]/.test(password)) throw new Error('mongo init: PRODUCTS_MONGO_PASSWORD must be set, using only letters, digits and . _ ~ -');
if (!process.env.MONGO_ROOT_PASSWORD) throw new Error('mongo init: MONGO_ROOT_PASSWORD is required');
db.getSiblingDB('admin').auth('root', process.env.MONGO_ROOT_PASSWORD);

for (let attempt = 0; !db.hello().isWritablePrimary; attempt += 1) {
  if (attempt === 60) throw new Error('mongo init: the replica set has no writable primary after 60 s');
  sleep(1000);
}

const products = db.getSiblingDB('products');
const roles = [
  { role: 'readWrite', db: 'products' },
  { role: 'dbAdmin', db: 'products' },
];
if (products.getUser('products_svc')) {
  products.updateUser('products_svc', { pwd: password, roles });
  print('mongo init: products_svc updated');
} else {
  products.createUser({ user: 'products_svc', pwd: password, roles });
  print('mongo init: products_svc created');
}
