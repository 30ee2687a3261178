#!/bin/bash
# One-shot store init, run at every `docker compose up` (not only on an empty volume): connects to the cluster as its
# superuser and creates whatever is missing -- the owning service's login role and its private database, closed to
# every other ordinary role -- and, on a primary with a replica, the replication role and the replica's slot.
# Passwords are (re)set from the environment each time, so a rotated .env takes effect at the next start.
set -Eeo pipefail

require() {
  local name="$1"
  case "${!name}" in
    '') echo "postgres init: $name is required" >&2; exit 1 ;;
    *[!A-Za-z0-9._~-]*) echo "postgres init: $name may use only letters, digits and . _ ~ - (it is part of a URL)" >&2; exit 1 ;;
  esac
}
for variable in PGHOST PGPASSWORD SERVICE_DB_NAME SERVICE_DB_ROLE SERVICE_DB_PASSWORD; do require "$variable"; done
export PGUSER="${PGUSER:-postgres}"

until pg_isready --quiet --dbname postgres; do
  echo "postgres init: waiting for $PGHOST"
  sleep 2
done

psql -v ON_ERROR_STOP=1 --dbname postgres \
  --set=db="$SERVICE_DB_NAME" --set=role="$SERVICE_DB_ROLE" --set=password="$SERVICE_DB_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I WITH LOGIN', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'password';
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
ALTER DATABASE :"db" OWNER TO :"role";
REVOKE CONNECT, TEMPORARY ON DATABASE :"db" FROM PUBLIC;
REVOKE CONNECT ON DATABASE postgres, template1 FROM PUBLIC;
SQL

if [ -n "$REPLICATION_SLOT" ]; then
  require REPLICATION_PASSWORD
  psql -v ON_ERROR_STOP=1 --dbname postgres \
    --set=replicator="${REPLICATION_ROLE:-replicator}" --set=password="$REPLICATION_PASSWORD" --set=slot="$REPLICATION_SLOT" <<'SQL'
SELECT format('CREATE ROLE %I WITH REPLICATION LOGIN', :'replicator') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'replicator') \gexec
ALTER ROLE :"replicator" WITH REPLICATION LOGIN NOSUPERUSER PASSWORD :'password';
SELECT pg_create_physical_replication_slot(:'slot', true) WHERE NOT EXISTS (SELECT FROM pg_replication_slots WHERE slot_name = :'slot');
SQL
fi
echo "postgres init: $SERVICE_DB_ROLE owns $SERVICE_DB_NAME on $PGHOST${REPLICATION_SLOT:+, replication slot $REPLICATION_SLOT}"
