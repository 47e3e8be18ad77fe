// Pregón's web app in a process of its own, for a bench that measures it from outside: composed
// from the environment as `npm start` composes it, without the worker, on a loopback port of its
// own, which it tells its parent over IPC. It stops when the parent goes.
import type { AddressInfo } from 'node:net';
import { compose } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const pregon = await compose(loadConfig(process.env), { worker: false, listen: { port: 0, host: '127.0.0.1' } });
process.once('disconnect', async () => {
  await pregon.close();
  process.exit(0);
});
process.send!({ port: (pregon.server!.address() as AddressInfo).port });
