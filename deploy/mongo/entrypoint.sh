#!/bin/bash
# Entrypoint of the products MongoDB: a single-node replica set (rs0; the products service needs multi-document
# transactions) with access control. A replica set with authorization needs a key file for internal authentication:
# one is generated on first start into the config volume, then the official entrypoint takes over (it creates the root
# user and runs docker-entrypoint-initdb.d on first start).
set -Eeo pipefail

keyfile=/data/configdb/replica-set.key
if [ ! -s "$keyfile" ]; then
  head -c 756 /dev/urandom | base64 -w 0 > "$keyfile"
fi
chown mongodb:mongodb "$keyfile"
chmod 400 "$keyfile"

exec docker-entrypoint.sh mongod --replSet rs0 --bind_ip_all --keyFile "$keyfile"
