# The staff web app is built in a first stage (Vite and React are dev dependencies); the image
# runs the server from its TypeScript sources with tsx and serves the built app from dist/ui.
FROM node:20-bookworm-slim AS web-app
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY . .
COPY --from=web-app /app/dist/ui ./dist/ui

ENV NODE_ENV=production
EXPOSE 3000
CMD ["npx", "tsx", "src/main.ts"]
