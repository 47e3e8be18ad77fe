// A fast SES-compatible stub in a process of its own: it answers every request with a message id
// at once, so what a bench measures is Pregón's cost (and the SDK's), not the stub's.
import { spawn } from 'node:child_process';

const STUB =
  `require('http').createServer((q, s) => { q.resume(); q.on('end', () => { ` +
  `s.writeHead(200, {'content-type': 'application/json'}); ` +
  `s.end(JSON.stringify({ MessageId: String(Math.random()) })); ` +
  `}); }).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;

export interface SesStub {
  url: string;
  close(): void;
}

export async function startSesStub(): Promise<SesStub> {
  const child = spawn(process.execPath, ['-e', STUB], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) =>
    child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())),
  );
  return { url: `http://127.0.0.1:${port}`, close: () => child.kill() };
}
