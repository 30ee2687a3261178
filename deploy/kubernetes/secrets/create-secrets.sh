#!/bin/sh
# Rendered from the system map by `npm run k8s:render`; do not edit.
# Creates every Secret the manifests reference in namespace shop, with random passwords (letters and digits,
# safe in URLs). A Secret that already exists is left alone. Needs kubectl (pointed at the cluster) and openssl.
set -eu
ns="${NAMESPACE:-shop}"
random() { openssl rand -hex 24; }
create() {
  name="$1"; shift
  if kubectl -n "$ns" get secret "$name" >/dev/null 2>&1; then echo "secret $name exists, kept"; return; fi
  kubectl -n "$ns" create secret generic "$name" "$@"
}
kubectl get namespace "$ns" >/dev/null 2>&1 || kubectl create namespace "$ns"
create products-store-credentials --type=Opaque --from-literal=password="$(random)"
create users-store-credentials --type=kubernetes.io/basic-auth --from-literal=username=users_svc --from-literal=password="$(random)"
create cart-store-credentials --type=Opaque --from-literal=password="$(random)"
create cart-redis-admin --type=Opaque --from-literal=password="$(random)"
create search-store-credentials --type=kubernetes.io/basic-auth --from-literal=username=search_svc --from-literal=password="$(random)" --from-literal=roles=search_svc
create orders-store-credentials --type=kubernetes.io/basic-auth --from-literal=username=orders_svc --from-literal=password="$(random)"
create nats-users --type=Opaque --from-literal=PRODUCTS_NATS_PASSWORD="$(random)" --from-literal=USERS_NATS_PASSWORD="$(random)" --from-literal=CART_NATS_PASSWORD="$(random)" --from-literal=SEARCH_NATS_PASSWORD="$(random)" --from-literal=ORDERS_NATS_PASSWORD="$(random)" --from-literal=ANALYTICS_NATS_PASSWORD="$(random)"
create gateway-secrets --type=Opaque --from-literal=GATEWAY_JWT_SECRET="$(random)"
