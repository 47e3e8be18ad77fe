// `npm start`: the whole of Pregón in one process, composed by compose(): the web app, the local
// SES emulator (unless SES_ENDPOINT says otherwise) and, unless --no-worker, the worker.
import { compose } from './compose.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { RedisUnreachableError } from './redis.js';
import { MAIL_VIEWER_PATH } from './sending/mail-viewer.js';

async function main(): Promise<void> {
  // The AWS SDK warns on every start that later versions will want Node 22; Pregón pins its version.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const config = loadConfig(process.env);
  const withWorker = !process.argv.includes('--no-worker');
  const pregon = await compose(config, { worker: withWorker });

  const { database, sesEmulator, setupCode, mailbox, example } = pregon;
  printBanner(config, database.kind, sesEmulator?.url, withWorker, setupCode, mailbox !== undefined);
  if (example) console.log(`\nLoaded the example bulletin "${example.title}" as a draft (id ${example.id}).`);

  const shutdown = async () => {
    pregon.logger.info('shutting down: finishing the batches in flight');
    await pregon.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

/** Where mail goes: the emulator in this process, Amazon SES, or the endpoint configured. */
function mailSender(config: Config, sesUrl: string | undefined): string {
  if (sesUrl) return 'local SES emulator';
  if (config.ses.mode === 'aws') return `Amazon SES (${config.sesRegion})`;
  return config.ses.mode === 'endpoint' ? config.ses.url : '';
}

/** On stdout with console.log, not through the logger, so no LOG_LEVEL can hide the setup code. */
function printBanner(
  config: Config,
  db: string,
  sesUrl: string | undefined,
  worker: boolean,
  setupCode: string | undefined,
  mailViewer: boolean,
): void {
  const lines = [
    `Pregón is listening on ${config.publicUrl} (port ${config.port})`,
    `  database: ${db}${config.database.kind === 'sqlite' ? ` (${config.database.path})` : ''}`,
    `  worker:   ${worker ? 'in this process' : 'separate (npm run worker)'}`,
    `  mail:     ${mailSender(config, sesUrl)}`,
  ];
  if (sesUrl && mailViewer)
    lines.push(`            read sent mail at ${config.publicUrl}${MAIL_VIEWER_PATH} (signed in)`);
  // Its frame breaks on links to Pregón's pages, which refuse to be framed.
  if (sesUrl)
    lines.push(
      `            ${mailViewer ? 'or' : 'read sent mail'} at ${sesUrl}, ` +
        "the emulator's own viewer (open its links in a new tab)",
    );
  if (setupCode) {
    lines.push(
      '',
      `First run: open ${config.publicUrl}/admin/setup and enter the code ${setupCode}`,
      'The code works once, and only while this process runs. Or make the first admin, and an API token, with:',
      '  npm run cli -- create-admin --email you@example.org   (it asks for the password)',
      '  npm run cli -- create-token --name "my script"',
    );
  }
  console.log(lines.join('\n'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof RedisUnreachableError) {
    console.error(err.message);
  } else {
    console.error('Pregón could not start:', err);
  }
  process.exit(1);
});
