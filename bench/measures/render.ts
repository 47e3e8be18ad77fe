// The two costs of a send that depend on the bulletin: rendering MJML once per language
// (milliseconds) and personalising one recipient's copy from the compiled template
// (microseconds), signed links included, as the worker's batch does it.
import { readFileSync } from 'node:fs';
import { BulletinDocument } from '../../src/bulletins/document.js';
import { EXAMPLE_FILE } from '../../src/bulletins/example.js';
import { personalise, recipientLinks } from '../../src/render/personalise.js';
import { renderBulletin } from '../../src/render/render.js';
import { DEFAULT_SETTINGS } from '../../src/settings/settings.js';
import { LinkSigner } from '../../src/signed-links.js';
import { median } from '../support/median.js';
import { scaled, type Measure } from './measure.js';

const LANGUAGE = 'en';
const PUBLIC_URL = 'https://news.example.org';

export const measure: Measure = async (context) => {
  const renders = scaled(context, 30, 3);
  const recipients = scaled(context, 50_000, 500);
  const doc = BulletinDocument.parse(JSON.parse(readFileSync(EXAMPLE_FILE, 'utf8')));
  const theme = {
    settings: {
      ...DEFAULT_SETTINGS,
      organisationName: 'National Network for Immigrant and Refugee Rights',
      postalAddress: '310 8th Street, Oakland, CA',
    },
    topicName: { en: 'Weekly bulletin', es: 'Boletín semanal' },
  };
  const signer = new LinkSigner('bench-secret-bench-secret-bench-secret');

  // The first renders load MJML's modules and warm the JIT; a send renders in a warm worker too.
  let compiled = await renderBulletin(doc, LANGUAGE, theme);
  await renderBulletin(doc, LANGUAGE, theme);
  const renderTimes: number[] = [];
  for (let i = 0; i < renders; i++) {
    const started = performance.now();
    compiled = await renderBulletin(doc, LANGUAGE, theme);
    renderTimes.push(performance.now() - started);
  }
  context.log(
    `render: ${renders} renders of the example (${LANGUAGE}, ${(compiled.htmlBytes / 1024).toFixed(1)} KB of HTML)`,
  );

  // Each copy is timed on its own (hrtime costs well under a microsecond); the first tenth warms up.
  const personaliseTimes: number[] = [];
  let bytes = 0;
  const warmUp = Math.floor(recipients / 10);
  for (let i = 0; i < recipients + warmUp; i++) {
    const started = process.hrtime.bigint();
    const links = recipientLinks(signer, PUBLIC_URL, {
      subscriberId: i + 1,
      campaignId: 1,
      language: LANGUAGE,
      inArchive: true,
    });
    const message = personalise(
      compiled,
      { subscriberId: i + 1, email: `person${i}@example.org`, name: `Person Number${i}` },
      links,
    );
    const ns = Number(process.hrtime.bigint() - started);
    bytes += message.html.length;
    if (i >= warmUp) personaliseTimes.push(ns / 1000);
  }
  if (bytes === 0) throw new Error('nothing was personalised');
  context.log(`render: ${recipients.toLocaleString('en')} personalised copies`);

  const renderMs = median(renderTimes);
  const personaliseUs = median(personaliseTimes);
  return {
    render_ms: renderMs,
    personalise_us: personaliseUs,
    render_over_personalise: (renderMs * 1000) / personaliseUs,
  };
};
