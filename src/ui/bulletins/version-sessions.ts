// The versions list grouped into editing sessions: the composer saves about a second after each
// change, so one sitting is many versions. Consecutive versions by one person, each less than
// SESSION_GAP_MS after the one before, are one session. Its imports name their files, so the unit
// tests (Node's resolution) read it too.
import type { BulletinVersionSummary, VersionSend } from '../../bulletins/schemas.js';

/** A pause this long ends a session: coming back to a draft after a break starts a new one. */
export const SESSION_GAP_MS = 10 * 60_000;

export interface EditingSession {
  savedBy: string | null;
  /** Newest first, as the list shows them. */
  versions: BulletinVersionSummary[];
  /** When its first and last versions were saved. */
  from: string;
  to: string;
  /** What it changed, each sentence once, in the order it was done. */
  changes: string[];
  sends: VersionSend[];
}

/** `versions` newest first, as the API lists them; the sessions newest first too. */
export function editingSessions(versions: readonly BulletinVersionSummary[]): EditingSession[] {
  const sessions: BulletinVersionSummary[][] = [];
  let last: BulletinVersionSummary | undefined;
  for (const version of [...versions].reverse()) {
    const sameSitting =
      last !== undefined &&
      last.savedBy === version.savedBy &&
      Date.parse(version.createdAt) - Date.parse(last.createdAt) < SESSION_GAP_MS;
    if (sameSitting) sessions.at(-1)!.push(version);
    else sessions.push([version]);
    last = version;
  }
  return sessions.reverse().map((oldestFirst) => ({
    savedBy: oldestFirst[0]!.savedBy,
    versions: [...oldestFirst].reverse(),
    from: oldestFirst[0]!.createdAt,
    to: oldestFirst.at(-1)!.createdAt,
    changes: [...new Set(oldestFirst.flatMap(versionChanges))],
    sends: oldestFirst.flatMap((v) => v.sends),
  }));
}

/** The version's changes as sentences; the first version is the bulletin's creation. */
export function versionChanges(version: BulletinVersionSummary): string[] {
  return version.version === 1 ? ['Created the bulletin'] : version.changes.map((c) => c.text);
}

/** Who saved a version, for people: the staff member's email, the API token, or "Unknown". */
export function authorName(savedBy: string | null): string {
  if (savedBy === null) return 'Unknown';
  const token = /^token: (.*)$/s.exec(savedBy);
  return token ? `API token “${token[1]}”` : savedBy;
}
