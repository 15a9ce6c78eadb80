# syntax=docker/dockerfile:1
# Growbal Intelligence: the standalone production build (docs/DEPLOY.md).
#   docker build -t growbal .
#   docker run --rm --env-file .env.production growbal node migrate.js     # migrations, a separate step
#   docker run -d -p 3000:3000 --env-file .env.production growbal          # the server
# The image holds no secrets and no database: DATABASE_URL, APP_URL, SESSION_SECRET, MFA_ENCRYPTION_KEY and
# CRON_SECRET come from the environment at run time.

ARG NODE_IMAGE=node:24-bookworm-slim

# 1. Dependencies (dev ones included: the build needs them; none of them reach the final image).
FROM ${NODE_IMAGE} AS deps
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund

# 2. The build: .next/standalone is a self-contained server folder (scripts/build-standalone.ts).
FROM ${NODE_IMAGE} AS build
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1 NODE_ENV=production
COPY --from=deps /src/node_modules ./node_modules
COPY . .
RUN npm run build

# 3. What runs: the standalone folder only, as the unprivileged `node` user.
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000
COPY --from=build --chown=node:node /src/.next/standalone ./
# Numeric (the image's `node` user) so Kubernetes can verify runAsNonRoot.
USER 1000:1000
EXPOSE 3000
# Liveness: the process answers. (Readiness, which also checks the database and migrations, is
# /api/health?ready=1: use it for a load balancer's or Kubernetes' readiness probe.)
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM drains requests in flight (SHUTDOWN_GRACE_MS, default 10 s): give `docker stop` a little more.
STOPSIGNAL SIGTERM
CMD ["node", "server.js"]
