#!/bin/sh
# Starts the cart Redis with ACL users rendered from users.acl: default off, admin (health checks and operators only)
# and cart_svc, limited to keys under cart:* and to non-dangerous commands. Passwords come from the environment.
set -eu

require_url_safe() {
  case "$2" in
    '' | *[!A-Za-z0-9._~-]*) echo "redis: $1 must be set, using only letters, digits and . _ ~ -" >&2; exit 1 ;;
  esac
}
require_url_safe CART_REDIS_PASSWORD "${CART_REDIS_PASSWORD:-}"
require_url_safe REDIS_ADMIN_PASSWORD "${REDIS_ADMIN_PASSWORD:-}"

mkdir -p /usr/local/etc/redis
sed -e "s/__CART_REDIS_PASSWORD__/$CART_REDIS_PASSWORD/" -e "s/__REDIS_ADMIN_PASSWORD__/$REDIS_ADMIN_PASSWORD/" \
  /deploy/users.acl > /usr/local/etc/redis/users.acl
chown redis:redis /usr/local/etc/redis/users.acl
chmod 600 /usr/local/etc/redis/users.acl

exec docker-entrypoint.sh redis-server --aclfile /usr/local/etc/redis/users.acl --appendonly yes --appendfsync everysec --dir /data
