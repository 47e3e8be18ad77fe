FROM node:20-bookworm-slim
WORKDIR /app

COPY package.json package-lock.json ./
# tsx is a regular dependency, so the app runs from TypeScript sources without a build step.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY . .

ENV NODE_ENV=production
EXPOSE 3000
CMD ["npx", "tsx", "src/main.ts"]
