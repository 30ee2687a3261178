#!/bin/bash
# Run once on the orders primary (docker-entrypoint-initdb.d): a replication-only role, a physical replication slot
# the replica streams from, and a pg_hba rule letting that role (and only it) open replication connections.
set -Eeo pipefail

if [ -z "$REPLICATION_PASSWORD" ]; then echo "postgres init: REPLICATION_PASSWORD is required" >&2; exit 1; fi
case "$REPLICATION_PASSWORD" in
  *[!A-Za-z0-9._~-]*) echo "postgres init: REPLICATION_PASSWORD may use only letters, digits and . _ ~ -" >&2; exit 1 ;;
esac
slot="${REPLICATION_SLOT:-orders_replica}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  --set=password="$REPLICATION_PASSWORD" --set=slot="$slot" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SELECT pg_create_physical_replication_slot(:'slot', true);
SQL

echo 'host replication replicator all scram-sha-256' >> "$PGDATA/pg_hba.conf"
