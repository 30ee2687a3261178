#!/bin/bash
# One-shot init of the search Elasticsearch: a search_svc role with every privilege on the products* indices and
# aliases (the live index, its versions and the rebuild marker) plus cluster monitor (ping), and the search_svc user.
# Idempotent: PUT replaces the role and the user, so re-running only resets the password.
set -Eeo pipefail

es="${ELASTICSEARCH_URL:-http://search-elasticsearch:9200}"
case "$SEARCH_ES_PASSWORD" in
  '' | *[!A-Za-z0-9._~-]*) echo "elasticsearch init: SEARCH_ES_PASSWORD must be set, using only letters, digits and . _ ~ -" >&2; exit 1 ;;
esac

put() {
  curl --fail-with-body --silent --show-error --user "elastic:$ELASTIC_PASSWORD" \
    --request PUT --header 'Content-Type: application/json' --data "$2" "$es$1"
  echo
}

put /_security/role/search_svc '{"cluster":["monitor"],"indices":[{"names":["products*"],"privileges":["all"]}]}'
put /_security/user/search_svc "{\"password\":\"$SEARCH_ES_PASSWORD\",\"roles\":[\"search_svc\"]}"
