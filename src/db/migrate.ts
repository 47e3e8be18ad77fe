// Runs the migrations in src/db/migrations, in order, on either database.
import { Migrator, sql, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Database } from './database.js';
import { foundation } from './migrations/0001-foundation.js';
import { bulletins } from './migrations/0002-bulletins.js';
import { audience } from './migrations/0003-audience.js';
import { sending } from './migrations/0004-sending.js';
import { linkTracking } from './migrations/0005-link-tracking.js';
import { supporters } from './migrations/0006-supporters.js';
import { staffSessions } from './migrations/0007-staff-sessions.js';
import { campaignOutcomes } from './migrations/0008-campaign-outcomes.js';
import { leanerIndexes } from './migrations/0009-leaner-indexes.js';
import { archivePages } from './migrations/0010-archive-pages.js';
import { subscribeRequests } from './migrations/0011-subscribe-requests.js';
import { snsMessagesByAge } from './migrations/0012-sns-and-clicks.js';
import { staffSignIn } from './migrations/0013-staff-sign-in.js';
import { blockLibrary } from './migrations/0014-block-library.js';
import { versionAuthors } from './migrations/0015-version-authors.js';
import { setupProgress } from './migrations/0016-setup-progress.js';
import { clicksByLanguage } from './migrations/0017-clicks-by-language.js';
import { translationStatus } from './migrations/0018-translation-status.js';
import { writerRole } from './migrations/0019-writer-role.js';
import { auditTrail } from './migrations/0020-audit-trail.js';
import { sendApproval } from './migrations/0021-send-approval.js';
import { media } from './migrations/0022-media.js';
import { campaignLogo } from './migrations/0023-campaign-logo.js';
import { campaignPriority } from './migrations/0024-campaign-priority.js';
import { webhooks } from './migrations/0025-webhooks.js';
import { welcomeMail } from './migrations/0026-welcome-mail.js';
import { addressSearch } from './migrations/0027-address-search.js';
import { deliveryTallies } from './migrations/0028-delivery-tallies.js';

function migrations(db: Database): Record<string, Migration> {
  return {
    '0001-foundation': foundation(db.kind),
    '0002-bulletins': bulletins(db.kind),
    '0003-audience': audience(db.kind),
    '0004-sending': sending(db.kind),
    '0005-link-tracking': linkTracking(db.kind),
    '0006-supporters': supporters(db.kind),
    '0007-staff-sessions': staffSessions(db.kind),
    '0008-campaign-outcomes': campaignOutcomes(),
    '0009-leaner-indexes': leanerIndexes(),
    '0010-archive-pages': archivePages(db.kind),
    '0011-subscribe-requests': subscribeRequests(db.kind),
    '0012-sns-and-clicks': snsMessagesByAge(),
    '0013-staff-sign-in': staffSignIn(db.kind),
    '0014-block-library': blockLibrary(db.kind),
    '0015-version-authors': versionAuthors(),
    '0016-setup-progress': setupProgress(db.kind),
    '0017-clicks-by-language': clicksByLanguage(),
    '0018-translation-status': translationStatus(db.kind),
    '0019-writer-role': writerRole(db.kind),
    '0020-audit-trail': auditTrail(db.kind),
    '0021-send-approval': sendApproval(db.kind),
    '0022-media': media(db.kind),
    '0023-campaign-logo': campaignLogo(),
    '0024-campaign-priority': campaignPriority(),
    '0025-webhooks': webhooks(db.kind),
    '0026-welcome-mail': welcomeMail(db.kind),
    '0027-address-search': addressSearch(db.kind),
    '0028-delivery-tallies': deliveryTallies(db.kind),
  };
}

export async function migrateToLatest(db: Database): Promise<string[]> {
  return run(await migrator(db), (m) => m.migrateToLatest());
}

/** Runs the migrations up to and including `last`: a database as an earlier version left it, to test a migration. */
export async function migrateUpTo(db: Database, last: string): Promise<string[]> {
  return run(await migrator(db), (m) => m.migrateTo(last));
}

async function migrator(db: Database): Promise<Migrator> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(db) };
  // Kysely looks for its own tables in any schema unless told which: name the one in use, so a
  // database holding several Pregón schemas (tests, staging beside production) keeps them apart.
  const migrationTableSchema = db.kind === 'postgres' ? await currentSchema(db) : undefined;
  return new Migrator({ db: db.db, provider, ...(migrationTableSchema ? { migrationTableSchema } : {}) });
}

async function run(migrator: Migrator, migrate: (m: Migrator) => Promise<MigrationResultSet>): Promise<string[]> {
  const { error, results } = await migrate(migrator);
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

async function currentSchema(db: Database): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db.db);
  return rows[0]!.schema;
}
