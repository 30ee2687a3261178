#!/bin/bash
# Health of the products MongoDB: initiates the single-node replica set rs0 the first time the server answers, and is
# healthy only once this node is the writable primary.
set -Eeo pipefail

mongosh --quiet --host 127.0.0.1 --username "$MONGO_INITDB_ROOT_USERNAME" --password "$MONGO_INITDB_ROOT_PASSWORD" \
  --authenticationDatabase admin --eval "
    try {
      rs.status();
    } catch (error) {
      if (error.codeName !== 'NotYetInitialized') throw error;
      rs.initiate({ _id: 'rs0', members: [{ _id: 0, host: '${MONGO_REPLICA_HOST:-products-mongo:27017}' }] });
    }
    if (!db.hello().isWritablePrimary) quit(1);
  "
