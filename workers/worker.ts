// The worker side of Pregón: BullMQ workers, started by `npm start` in-process or by
// `npm run worker` as its own process. Sending (issue 5) registers its workers here.
import type { Logger } from 'pino';
import type { Config } from '../src/config.js';

export interface WorkerDeps {
  config: Config;
  logger: Logger;
}

export interface RunningWorker {
  /** Lets running jobs finish, then disconnects. */
  close(): Promise<void>;
}

export async function startWorker(deps: WorkerDeps): Promise<RunningWorker> {
  deps.logger.info('worker started');
  return { close: async () => {} };
}
