// The versions list in editing sessions (src/ui/bulletins/version-sessions.ts): one person's saves
// less than ten minutes apart are one session, with what it changed said once.
import { describe, expect, it } from 'vitest';
import type { BulletinVersionSummary } from '../../src/bulletins/schemas.js';
import { authorName, editingSessions } from '../../src/ui/bulletins/version-sessions.js';

const START = Date.parse('2026-12-04T14:02:00Z');

/** Versions saved at `minutes` after 14:02 by `savedBy`, newest first as the API lists them. */
function versions(...saves: [minutes: number, savedBy: string | null, change?: string][]): BulletinVersionSummary[] {
  return saves
    .map(([minutes, savedBy, change], k) => ({
      version: k + 1,
      versionId: 100 + k,
      title: 'Weekly',
      createdAt: new Date(START + minutes * 60_000).toISOString(),
      savedBy,
      sent: false,
      sends: [],
      changes: change ? [{ kind: 'block_edited' as const, text: change }] : [],
    }))
    .reverse();
}

describe('editing sessions', () => {
  it('groups one person’s saves less than ten minutes apart, and says each change once', () => {
    const list = versions(
      [0, 'ana@example.org'],
      [1, 'ana@example.org', 'Edited Spanish body of block 2'],
      [2, 'ana@example.org', 'Edited Spanish body of block 2'],
      [7, 'ana@example.org', 'Added divider'],
    );
    const [session, ...rest] = editingSessions(list);
    expect(rest).toEqual([]);
    expect(session).toMatchObject({
      savedBy: 'ana@example.org',
      from: '2026-12-04T14:02:00.000Z',
      to: '2026-12-04T14:09:00.000Z',
      changes: ['Created the bulletin', 'Edited Spanish body of block 2', 'Added divider'],
    });
    expect(session!.versions.map((v) => v.version)).toEqual([4, 3, 2, 1]);
  });

  it('starts a new session after a pause of ten minutes, or when someone else saves', () => {
    const list = versions(
      [0, 'ana@example.org'],
      [10, 'ana@example.org', 'Edited title'],
      [11, 'token: ci-bot', 'Edited English subject'],
      [12, 'ana@example.org', 'Added divider'],
    );
    expect(editingSessions(list).map((s) => [s.savedBy, s.versions.map((v) => v.version)])).toEqual([
      ['ana@example.org', [4]],
      ['token: ci-bot', [3]],
      ['ana@example.org', [2]],
      ['ana@example.org', [1]],
    ]);
  });

  it('keeps versions without an author together as unknown', () => {
    const sessions = editingSessions(versions([0, null], [1, null, 'Edited title']));
    expect(sessions).toHaveLength(1);
    expect(authorName(sessions[0]!.savedBy)).toBe('Unknown');
  });

  it('names a token as a token and a person by their email', () => {
    expect(authorName('token: ci-bot')).toBe('API token “ci-bot”');
    expect(authorName('ana@example.org')).toBe('ana@example.org');
  });
});
