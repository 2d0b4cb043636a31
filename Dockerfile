# syntax=docker/dockerfile:1
#
# The gateway's container image (issue 9, DESIGN §7, §10): Node 22 LTS, production dependencies
# only, a numeric non-root user, nothing written outside /tmp (the pod mounts /tmp as an
# emptyDir and its root filesystem is read-only), no HEALTHCHECK (Kubernetes probes /healthz
# and /readyz).
#
# The project has no build step: tsx (a runtime dependency) compiles the TypeScript as it
# loads, caching in $TMPDIR. node is PID 1 and receives SIGTERM itself (no npm or shell
# wrapper), so the gateway's drain in telemetry/shutdown.ts runs on every pod termination.
#
#   docker build -t builder-insights-gateway:0.1.0 .
#   docker run --rm builder-insights-gateway:0.1.0 db/cli/migrate.ts    # the migrations Job
#
# Pin both base images by digest in CI (tag@sha256:…) once the registry mirror is known.

ARG NODE_VERSION=22.23.3

# ---- production dependencies, installed with the lock file and no install scripts ----
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

# ---- runtime: distroless Node 22 (no shell, no package manager, no coreutils) ----
FROM gcr.io/distroless/nodejs22-debian12:nonroot AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    TMPDIR=/tmp
# Owned by root and not writable by the gateway's user: the code cannot be changed at run time.
COPY --from=deps /app/node_modules ./node_modules
COPY . .
USER 10001:10001
EXPOSE 4000 9464
# tsx compiles TypeScript on load; telemetry/register.ts starts tracing before the app's
# imports when the OTEL_* variables ask for it (and does nothing otherwise).
ENTRYPOINT ["/nodejs/bin/node", "--import", "tsx", "--import", "./telemetry/register.ts"]
CMD ["gateway.ts"]
