#!/bin/bash
# Run once by the official postgres image (docker-entrypoint-initdb.d) when it initialises an empty data directory:
# creates the owning service's login role and its private database, closed to every other ordinary role.
set -Eeo pipefail

for variable in SERVICE_DB_NAME SERVICE_DB_ROLE SERVICE_DB_PASSWORD; do
  if [ -z "${!variable}" ]; then echo "postgres init: $variable is required" >&2; exit 1; fi
done
case "$SERVICE_DB_PASSWORD" in
  *[!A-Za-z0-9._~-]*) echo "postgres init: SERVICE_DB_PASSWORD may use only letters, digits and . _ ~ - (it is part of a URL)" >&2; exit 1 ;;
esac

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  --set=db="$SERVICE_DB_NAME" --set=role="$SERVICE_DB_ROLE" --set=password="$SERVICE_DB_PASSWORD" <<'SQL'
CREATE ROLE :"role" WITH LOGIN PASSWORD :'password';
CREATE DATABASE :"db" OWNER :"role";
REVOKE CONNECT, TEMPORARY ON DATABASE :"db" FROM PUBLIC;
REVOKE CONNECT ON DATABASE postgres, template1 FROM PUBLIC;
SQL
