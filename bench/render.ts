// Measures the two costs of a send that depend on the bulletin: rendering MJML once per
// language (milliseconds) and personalising one recipient's copy (microseconds).
//   npx tsx bench/render.ts [--renders 30] [--recipients 100000]
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { BulletinDocument } from '../src/bulletins/document.js';
import { EXAMPLE_FILE } from '../src/bulletins/example.js';
import { personalise, recipientLinks } from '../src/render/personalise.js';
import { renderBulletin } from '../src/render/render.js';
import { DEFAULT_SETTINGS } from '../src/settings/settings.js';
import { LinkSigner } from '../src/signed-links.js';

const { values } = parseArgs({ options: { renders: { type: 'string', default: '30' }, recipients: { type: 'string', default: '100000' } } });
const renders = Number(values.renders);
const recipients = Number(values.recipients);

const doc = BulletinDocument.parse(JSON.parse(readFileSync(EXAMPLE_FILE, 'utf8')));
const context = {
  settings: { ...DEFAULT_SETTINGS, organisationName: 'National Network for Immigrant and Refugee Rights', postalAddress: '310 8th Street, Oakland, CA' },
  topicName: { en: 'Weekly bulletin', es: 'Boletín semanal' },
};
const signer = new LinkSigner('bench-secret-bench-secret-bench-secret');

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}`);
console.log('| language | HTML | render median | render p95 | personalise mean | personalise p99 |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const language of doc.languages) {
  await renderBulletin(doc, language, context); // warm-up: module loading, JIT
  const times: number[] = [];
  let compiled = await renderBulletin(doc, language, context);
  for (let i = 0; i < renders; i++) {
    const start = performance.now();
    compiled = await renderBulletin(doc, language, context);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);

  const each: number[] = [];
  let bytes = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < recipients; i++) {
    const t0 = process.hrtime.bigint();
    const links = recipientLinks(signer, 'https://news.example.org', { subscriberId: i + 1, campaignId: 1, language });
    const message = personalise(compiled, { subscriberId: i + 1, email: `person${i}@example.org`, name: `Person Number${i}` }, links);
    bytes += message.html.length;
    if (i % 100 === 0) each.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  const meanUs = Number(process.hrtime.bigint() - started) / 1000 / recipients;
  each.sort((a, b) => a - b);
  console.log(
    `| ${language} | ${(compiled.htmlBytes / 1024).toFixed(1)} KB | ${percentile(times, 50).toFixed(1)} ms | ${percentile(times, 95).toFixed(1)} ms | ${meanUs.toFixed(1)} µs | ${percentile(each, 99).toFixed(1)} µs |`,
  );
  if (bytes === 0) throw new Error('nothing personalised');
}
console.log(`(${renders} renders and ${recipients.toLocaleString('en')} personalised copies per language, signed links included)`);
