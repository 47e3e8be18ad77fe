// Starts bench/support/serve-app.ts as a child process and says where it listens.
import { fork } from 'node:child_process';

export interface AppProcess {
  url: string;
  pid: number;
  /** Ends the process (it closes its database and Redis first) and waits for it. */
  close(): Promise<void>;
}

const SCRIPT = new URL('./serve-app.ts', import.meta.url).pathname;

export async function startAppProcess(env: Record<string, string>): Promise<AppProcess> {
  const child = fork(SCRIPT, {
    execArgv: ['--import', 'tsx'],
    env,
    // Its request log is the cost of a real installation's, written where no one reads it.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await Promise.race([
    new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port))),
    exited.then(() => Promise.reject(new Error('The app process exited before it listened'))),
  ]);
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    async close() {
      child.disconnect();
      await exited;
    },
  };
}
