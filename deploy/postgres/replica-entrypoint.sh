#!/bin/bash
# Entrypoint of the orders read replica: on first start, clones the primary with pg_basebackup (-R: standby.signal and
# primary_conninfo) through the replication slot, then hands over to the official entrypoint, which starts the
# standby. Later starts find the data directory and simply resume streaming.
set -Eeo pipefail

: "${PGDATA:=/var/lib/postgresql/data}"
: "${PRIMARY_HOST:?PRIMARY_HOST is required}"
: "${PRIMARY_PORT:=5432}"
: "${REPLICATION_PASSWORD:?REPLICATION_PASSWORD is required}"
: "${REPLICATION_SLOT:=orders_replica}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  until gosu postgres pg_isready --quiet --host "$PRIMARY_HOST" --port "$PRIMARY_PORT"; do
    echo "replica: waiting for the primary at $PRIMARY_HOST:$PRIMARY_PORT"
    sleep 2
  done
  PGPASSWORD="$REPLICATION_PASSWORD" gosu postgres pg_basebackup \
    --host "$PRIMARY_HOST" --port "$PRIMARY_PORT" --username replicator \
    --pgdata "$PGDATA" --wal-method stream --slot "$REPLICATION_SLOT" --write-recovery-conf --checkpoint fast
  gosu postgres tee -a "$PGDATA/postgresql.auto.conf" >/dev/null <<CONF
primary_conninfo = 'host=$PRIMARY_HOST port=$PRIMARY_PORT user=replicator password=$REPLICATION_PASSWORD application_name=$REPLICATION_SLOT'
primary_slot_name = '$REPLICATION_SLOT'
CONF
fi

exec docker-entrypoint.sh postgres -c hot_standby=on -c hba_file=/deploy/pg_hba.conf
