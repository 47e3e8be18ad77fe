// The versions list as the API answers it: each version with who saved it, the campaigns that
// went out from it, and what changed since the version before it.
import type { BulletinVersion, BulletinVersionSummary, VersionSend } from './schemas.js';
import { diffDocuments } from './version-diff.js';

/** A send of the bulletin as the campaigns store lists it (CampaignStore.sendsOf). */
export interface BulletinSend {
  id: number;
  bulletinVersionId: number;
  state: string;
  startedAt: string | null;
  counts: { total: number };
}

/** `versions` oldest first, as the store gives them; the answer newest first. */
export function versionHistory(versions: BulletinVersion[], sends: BulletinSend[]): BulletinVersionSummary[] {
  return versions
    .map(({ document, ...version }, k) => {
      // A scheduled send (or one awaiting approval) has not gone out yet: its version is not "sent" until it starts.
      const own: VersionSend[] = sends
        .filter((send) => send.bulletinVersionId === version.versionId && send.startedAt !== null)
        .map((send) => ({ campaignId: send.id, startedAt: send.startedAt, recipients: send.counts.total }));
      const previous = versions[k - 1]?.document;
      const changes = previous
        ? diffDocuments(previous, document).map(({ before: _before, after: _after, ...change }) => change)
        : [];
      return { ...version, sent: own.length > 0, sends: own, changes };
    })
    .reverse();
}
