// A fast SES-compatible stub in a process of its own: it answers every request at once (a message
// id; for SendBulkEmail one per destination; templates are taken and forgotten), so what a bench
// measures is Pregón's cost (and the SDK's), not the stub's, and its CPU is not the bench's.
import { spawn } from 'node:child_process';

const STUB =
  `const id = () => String(Math.random()); ` +
  `require('http').createServer((q, s) => { ` +
  `const body = []; q.on('data', (d) => body.push(d)); q.on('end', () => { ` +
  `s.writeHead(200, {'content-type': 'application/json'}); ` +
  `if (!q.url.startsWith('/v2/email/outbound-bulk-emails')) return s.end(JSON.stringify({ MessageId: id() })); ` +
  `const n = JSON.parse(Buffer.concat(body)).BulkEmailEntries.length; ` +
  `const results = Array.from({ length: n }, () => ({ Status: 'SUCCESS', MessageId: id() })); ` +
  `s.end(JSON.stringify({ BulkEmailEntryResults: results })); ` +
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
