// The web application: routes get their dependencies passed in; nothing here opens a connection.
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { subscriberRoutes, topicRoutes } from './audience/routes.js';
import type { SubscriberStore } from './audience/subscriber-store.js';
import type { TopicStore } from './audience/topic-store.js';
import { healthHandler, type HealthChecks } from './health.js';
import { mountRoutes, openApiDocument } from './http/api-routes.js';
import { bearerAuth, type TokenVerifier } from './http/auth.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';

export interface AppDeps {
  logger: Logger;
  health: HealthChecks;
  tokens: TokenVerifier;
  topics: TopicStore;
  subscribers: SubscriberStore;
}

export const API_INFO = { title: 'Pregón API', version: '1' };

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(helmet());
  app.use(
    pinoHttp({
      logger: deps.logger,
      // Never log the token, cookies or query strings (they may carry addresses or signed links).
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' },
    }),
  );

  app.get('/healthz', healthHandler(deps.health));

  const routes = [...topicRoutes(deps.topics), ...subscriberRoutes(deps.subscribers)];
  const openApi = openApiDocument(routes, API_INFO);
  const api = express.Router();
  api.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  api.use(express.json({ limit: '1mb' }));
  api.use(bearerAuth(deps.tokens));
  mountRoutes(api, routes);
  app.use('/api', api);

  app.use(notFoundHandler());
  app.use(errorHandler(deps.logger));
  return app;
}
