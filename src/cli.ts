// `npm run cli -- <command>`: staff accounts and API tokens from the shell.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { Email } from './audience/schemas.js';
import { AppError } from './errors.js';
import { Password, StaffRole, TokenInput } from './staff/schemas.js';
import { StaffStore } from './staff/staff-store.js';

const USAGE = `Usage:
  npm run cli -- create-admin --email E
      asks for the password (or reads its first line from standard input, when piped)
  npm run cli -- create-admin --email E --password P
      for scripts only: the password shows in the process list and the shell's history
  npm run cli -- create-token --name N [--role admin|editor|writer] [--expires-at 2027-01-31T00:00:00Z]`;

const commands = {
  'create-admin': z.object({ email: Email, password: Password.optional() }),
  'create-token': z
    .object({ name: TokenInput.shape.name, role: StaffRole.default('admin'), 'expires-at': TokenInput.shape.expiresAt })
    .transform(({ 'expires-at': expiresAt, ...token }) => ({ ...token, expiresAt })),
};

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseCommandLine(argv);
  const command = positionals[0];
  if (command !== 'create-admin' && command !== 'create-token') throw new UsageError(USAGE);
  const parsed = commands[command].safeParse(values);
  if (!parsed.success) throw new UsageError(`${describeIssues(parsed.error, '--')}\n\n${USAGE}`);

  // Asked for after the other options are known good, so no one types a password for nothing.
  const password =
    command === 'create-admin'
      ? ((parsed.data as z.infer<(typeof commands)['create-admin']>).password ?? (await readCheckedPassword()))
      : undefined;

  const config = loadConfig(process.env);
  const database = openDatabase(config.database);
  try {
    await migrateToLatest(database);
    const staff = new StaffStore(database.db);
    if (command === 'create-admin') {
      const { email } = parsed.data as z.infer<(typeof commands)['create-admin']>;
      const user = await staff.createUser({ email, password: password!, role: 'admin' });
      console.log(`Created admin ${user.email} (id ${user.id}).`);
    } else {
      const token = parsed.data as z.infer<(typeof commands)['create-token']>;
      const { token: secret } = await staff.createToken(token);
      const until = token.expiresAt ? `, working until ${token.expiresAt}` : '';
      console.log(`Created ${token.role} token "${token.name}"${until}. It is shown once; keep it somewhere safe:`);
      console.log(secret);
    }
  } finally {
    await database.close();
  }
}

class UsageError extends Error {}

function describeIssues(error: z.ZodError, prefix: string, path?: string): string {
  return error.issues.map((i) => `${prefix}${path ?? i.path.join('.')}: ${i.message}`).join('\n');
}

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        email: { type: 'string' },
        password: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        'expires-at': { type: 'string' },
      },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${USAGE}`);
  }
}

async function readCheckedPassword(): Promise<string> {
  const checked = Password.safeParse(await readPassword());
  if (!checked.success) throw new UsageError(describeIssues(checked.error, '', 'password'));
  return checked.data;
}

/** At a terminal, asked for twice without echo; piped, the first line of standard input. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    for await (const line of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
      return line;
    }
    return '';
  }
  const password = await askHidden('Password: ');
  if ((await askHidden('The same password again: ')) !== password) {
    throw new UsageError('The two passwords differ: nothing was created.');
  }
  return password;
}

/** Reads a line from the terminal in raw mode, so what is typed is never shown. */
function askHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (end: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      end();
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish(() => resolve(typed));
        if (char === '\u0003' || (char === '\u0004' && typed === '')) {
          return finish(() => reject(new UsageError('Cancelled: nothing was created.')));
        }
        if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('');
        else typed += char;
      }
    };
    stdin.on('data', onData);
  });
}

main(process.argv.slice(2)).catch((err: unknown) => {
  // An AppError is a refusal with a message for people (an email that exists already, say).
  if (err instanceof UsageError || err instanceof ConfigError || err instanceof AppError) console.error(err.message);
  else console.error(err);
  process.exit(err instanceof UsageError ? 2 : 1);
});
