# The staff web app and the worker's JavaScript are built in a first stage (Vite, React and
# TypeScript are dev dependencies); the image runs the server from its TypeScript sources with
# tsx, serves the built app from dist/ui, and runs the worker from dist/server.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workers ./workers
COPY emails ./emails
RUN npm run build && npm run build:worker

FROM node:20-bookworm-slim
WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY . .
COPY --from=build /app/dist ./dist

ENV NODE_ENV=production
EXPOSE 3000
CMD ["npx", "tsx", "src/main.ts"]
