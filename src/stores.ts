// Builds the stores and services over one database, once, for the entry points and the tests.
import { AudienceStore } from './audience/audience-store.js';
import { SegmentStore } from './audience/segment-store.js';
import { SubscriberStore } from './audience/subscriber-store.js';
import { SuppressionList } from './audience/suppressions.js';
import { TopicStore } from './audience/topic-store.js';
import { BulletinStore } from './bulletins/bulletin-store.js';
import { BulletinPreviews } from './bulletins/previews.js';
import type { Database } from './db/database.js';
import { SettingsStore } from './settings/settings-store.js';
import { LinkSigner } from './signed-links.js';
import { StaffStore } from './staff/staff-store.js';

export function createStores(database: Database, options: { appSecret: string; publicUrl: string }) {
  const { db } = database;
  const topics = new TopicStore(db);
  const settings = new SettingsStore(db);
  const signer = new LinkSigner(options.appSecret);
  const suppressions = new SuppressionList(db, options.appSecret);
  return {
    staff: new StaffStore(db),
    topics,
    suppressions,
    subscribers: new SubscriberStore(db, suppressions),
    audience: new AudienceStore(db, database.kind),
    segments: new SegmentStore(db),
    settings,
    bulletins: new BulletinStore(db),
    signer,
    previews: new BulletinPreviews({ settings, topics, signer, publicUrl: options.publicUrl }),
  };
}

export type Stores = ReturnType<typeof createStores>;
