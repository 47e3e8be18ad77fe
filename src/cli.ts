// `npm run cli -- <command>`: staff accounts and API tokens from the shell.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { Email } from './audience/schemas.js';
import { AppError } from './errors.js';
import { StaffRole } from './staff/schemas.js';
import { StaffStore } from './staff/staff-store.js';

const USAGE = `Usage:
  npm run cli -- create-admin --email E --password P
  npm run cli -- create-token --name N [--role admin|editor]`;

const commands = {
  'create-admin': z.object({
    email: Email,
    password: z.string().min(12, 'must be at least 12 characters'),
  }),
  'create-token': z.object({
    name: z.string().trim().min(1, 'must not be empty').max(100),
    role: StaffRole.default('admin'),
  }),
};

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseCommandLine(argv);
  const command = positionals[0];
  if (command !== 'create-admin' && command !== 'create-token') throw new UsageError(USAGE);
  const parsed = commands[command].safeParse(values);
  if (!parsed.success) {
    throw new UsageError(
      `${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n')}\n\n${USAGE}`,
    );
  }

  const config = loadConfig(process.env);
  const database = openDatabase(config.database);
  try {
    await migrateToLatest(database);
    const staff = new StaffStore(database.db);
    if (command === 'create-admin') {
      const { email, password } = parsed.data as z.infer<(typeof commands)['create-admin']>;
      const user = await staff.createUser({ email, password, role: 'admin' });
      console.log(`Created admin ${user.email} (id ${user.id}).`);
    } else {
      const { name, role } = parsed.data as z.infer<(typeof commands)['create-token']>;
      const { token } = await staff.createToken({ name, role });
      console.log(`Created ${role} token "${name}". It is shown once; keep it somewhere safe:`);
      console.log(token);
    }
  } finally {
    await database.close();
  }
}

class UsageError extends Error {}

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
      },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  // An AppError is a refusal with a message for people (an email that exists already, say).
  if (err instanceof UsageError || err instanceof ConfigError || err instanceof AppError) console.error(err.message);
  else console.error(err);
  process.exit(err instanceof UsageError ? 2 : 1);
});
