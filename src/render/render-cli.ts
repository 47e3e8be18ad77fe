// `npm run render -- FILE.json [--lang es] [--format html|text|mjml]`: a bulletin document to
// stdout, personalised for a sample reader, with the default settings. An invalid document
// exits 1 with every problem on stderr.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { BulletinDocument } from '../bulletins/document.js';
import { SAMPLE_RECIPIENT } from './bulletin-renderer.js';
import { ConfigError, loadConfig } from '../config.js';
import { formatPath } from '../errors.js';
import { DEFAULT_SETTINGS } from '../settings/settings.js';
import { LinkSigner } from '../signed-links.js';
import { inProcessMjml } from './mjml-engine.js';
import { personalise, recipientLinks } from './personalise.js';
import { bulletinSource, renderBulletin } from './render.js';

const USAGE = 'Usage: npm run render -- FILE.json [--lang LANGUAGE] [--format html|text|mjml]';

async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseCommandLine>;
  try {
    args = parseCommandLine(argv);
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const [file] = args.positionals;
  const format = args.values.format!;
  if (!file || !['html', 'text', 'mjml'].includes(format)) {
    console.error(USAGE);
    return 2;
  }
  const values = args.values;

  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    console.error(`${file}: ${(err as Error).message}`);
    return 1;
  }
  const parsed = BulletinDocument.safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`${formatPath(issue.path) || 'document'}: ${issue.message}`);
    return 1;
  }
  const doc = parsed.data;
  const language = values.lang ?? doc.languages[0]!;
  if (!doc.languages.includes(language)) {
    console.error(`--lang: must be one of the bulletin's languages: ${doc.languages.join(', ')}`);
    return 1;
  }

  const context = { settings: DEFAULT_SETTINGS };
  if (format === 'mjml') {
    process.stdout.write(bulletinSource(doc, language, context));
    return 0;
  }
  const config = loadConfig(process.env);
  const links = recipientLinks(new LinkSigner(config.appSecret), config.publicUrl, {
    subscriberId: SAMPLE_RECIPIENT.subscriberId,
    campaignId: 0,
    language,
  });
  const message = personalise(await renderBulletin(doc, language, context, inProcessMjml), SAMPLE_RECIPIENT, links);
  process.stdout.write(format === 'html' ? message.html : message.text);
  return 0;
}

function parseCommandLine(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: { lang: { type: 'string' }, format: { type: 'string', default: 'html' } },
  });
}

// exitCode, not exit(): into a pipe stdout is written asynchronously, and exit() would cut the
// bulletin at the first 64 KiB the pipe holds.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exitCode = 1;
  },
);
