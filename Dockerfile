# Teller's production image: the compiled service (no TypeScript loader at run time), run by the
# unprivileged `node` user, with a healthcheck on /readyz. docker-compose.yml builds and runs it.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Type-check, compile src/ into dist/ once (what `npm start` compiles into its cache at the first
# start), then drop the development dependencies.
RUN npm run typecheck && node scripts/start.mjs --build dist && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production TELLER_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data KNOWLEDGE_DIR=/app/knowledge
COPY --from=build /app /app
# The code stays root's and read-only; the service writes only its data directory and, when
# compliance publishes a document or policy, the knowledge folder.
RUN mkdir -p /data && chown node:node /data && chown -R node:node /app/knowledge
USER node
EXPOSE 3000
# /readyz checks the database and the knowledge index; the image has node but no curl.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/readyz`).then((response) => process.exit(response.ok ? 0 : 1), () => process.exit(1))"]
# Stack traces name the compiled functions; NODE_OPTIONS=--enable-source-maps maps them to src/*.ts.
CMD ["node", "dist/main.js"]
