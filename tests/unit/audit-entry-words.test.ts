// Audit entries as the Audit trail screen reads them (src/ui/audit/describe-entry.ts).
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/audit/schemas.js';
import { campaignHistory, describeEntry, filterWords } from '../../src/ui/audit/describe-entry.js';

const ana = { kind: 'staff', id: 3, name: 'ana@example.org' } as const;
const bot = { kind: 'token', id: 5, name: 'ci-bot' } as const;
const entry = (e: Pick<AuditEntry, 'actor' | 'action'> & Partial<AuditEntry>): AuditEntry => ({
  id: 1,
  at: '2026-12-03T10:42:00.000Z',
  target: null,
  details: {},
  ...e,
});

describe('an audit entry in words', () => {
  it('names the person or the token, and the campaign', () => {
    const campaign = { type: 'campaign', id: 12 } as const;
    expect(describeEntry(entry({ actor: ana, action: 'campaign_cancelled', target: campaign }))).toBe(
      'ana@example.org cancelled campaign 12',
    );
    expect(
      describeEntry(
        entry({ actor: ana, action: 'campaign_declined', target: campaign, details: { comment: 'Not yet' } }),
      ),
    ).toBe('ana@example.org declined campaign 12: Not yet');
    expect(
      describeEntry(
        entry({ actor: ana, action: 'campaign_approval_requested', target: campaign, details: { audience: 1204 } }),
      ),
    ).toBe('ana@example.org asked for approval of campaign 12, to 1204 people');
    const scheduledAt = '2026-12-04T15:00:00.000Z';
    expect(
      describeEntry(entry({ actor: bot, action: 'campaign_scheduled', target: campaign, details: { scheduledAt } })),
    ).toBe('API token “ci-bot” scheduled campaign 12 for Dec 4, 2026, 3:00 PM UTC');
    expect(describeEntry(entry({ actor: bot, action: 'campaign_sent', target: campaign }))).toBe(
      'API token “ci-bot” sent campaign 12',
    );
  });

  it('tells the welcome mail turned on, with its bulletin and campaign, and off', () => {
    const on = entry({
      actor: ana,
      action: 'welcome_mail_turned_on',
      target: { type: 'campaign', id: 31 },
      details: { bulletinId: 12 },
    });
    expect(describeEntry(on)).toBe('ana@example.org turned the welcome mail on: bulletin 12, campaign 31');
    const off = entry({ actor: ana, action: 'welcome_mail_turned_off', target: { type: 'settings', id: null } });
    expect(describeEntry(off)).toBe('ana@example.org turned the welcome mail off');
  });

  it('tells an export by its row count and filter, and an erasure by the id alone', () => {
    const exported = entry({
      actor: ana,
      action: 'subscribers_exported',
      details: { filter: { language: 'es' }, rows: 1204 },
    });
    expect(describeEntry(exported)).toBe('ana@example.org exported 1,204 subscribers (filter: language is es)');
    expect(filterWords({})).toBe('everyone');
    expect(filterWords({ email: 'nnirr.org', status: 'active' })).toBe(
      'address contains “nnirr.org”, status is active',
    );
    expect(
      describeEntry(entry({ actor: ana, action: 'subscriber_erased', target: { type: 'subscriber', id: 57 } })),
    ).toBe('ana@example.org erased subscriber 57');
  });

  it('tells a tag added or removed in bulk by its counts, never an address', () => {
    const counts = { tag: 'signed-petition-62500', matched: 1207, unchanged: 3, notFound: 12, duplicates: 0 };
    const added = { ...counts, action: 'add', changed: 1204, failed: 1 };
    expect(describeEntry(entry({ actor: ana, action: 'subscribers_tagged', details: added }))).toBe(
      'ana@example.org added the tag “signed-petition-62500” to 1,204 subscribers ' +
        '(3 had it already; 12 addresses not found; 1 not an address)',
    );
    const removed = { tag: 'press', action: 'remove', matched: 1, changed: 1, unchanged: 0, notFound: 0, failed: 0 };
    expect(describeEntry(entry({ actor: bot, action: 'subscribers_tagged', details: removed }))).toBe(
      'API token “ci-bot” removed the tag “press” from 1 subscriber',
    );
  });

  it('names the image uploaded to or deleted from the media library', () => {
    const image = { type: 'media', id: 4 } as const;
    const details = { name: 'harbour.jpg', type: 'jpeg', bytes: 48_213 };
    expect(describeEntry(entry({ actor: ana, action: 'media_uploaded', target: image, details }))).toBe(
      'ana@example.org uploaded the image “harbour.jpg” to the media library',
    );
    expect(describeEntry(entry({ actor: bot, action: 'media_deleted', target: image, details }))).toBe(
      'API token “ci-bot” deleted the image “harbour.jpg” from the media library',
    );
  });

  it('tells failed sign-ins apart by whether the address was an account', () => {
    const anonymous = { kind: 'anonymous', id: null, name: 'anonymous' } as const;
    expect(
      describeEntry(entry({ actor: anonymous, action: 'sign_in_failed', details: { email: 'ana@example.org' } })),
    ).toBe('Failed sign-in as ana@example.org');
    expect(describeEntry(entry({ actor: anonymous, action: 'sign_in_failed' }))).toBe(
      'Failed sign-in with an address that is no account',
    );
  });

  it('says what changed for staff, and names an action it does not know as it is', () => {
    const changed = entry({
      actor: ana,
      action: 'staff_changed',
      target: { type: 'staff', id: 4 },
      details: { email: 'bea@example.org', role: { from: 'editor', to: 'admin' }, password: 'changed' },
    });
    expect(describeEntry(changed)).toBe('ana@example.org changed bea@example.org: role from editor to admin, password');
    const future = entry({ actor: ana, action: 'campaign_archived' as AuditEntry['action'] });
    expect(describeEntry(future)).toBe('ana@example.org: campaign archived');
  });

  it("tells a campaign's history in one sentence, oldest first", () => {
    const at = (hour: number) => `2026-12-03T${hour}:42:00.000Z`;
    const history = [
      { action: 'campaign_scheduled', by: ana, at: at(10) },
      { action: 'campaign_paused', by: bot, at: at(11) },
      { action: 'campaign_cancelled', by: ana, at: at(12) },
    ] as const;
    expect(campaignHistory(history, (iso) => iso.slice(11, 16))).toBe(
      'Scheduled by ana@example.org on 10:42, paused by API token “ci-bot” on 11:42, ' +
        'cancelled by ana@example.org on 12:42',
    );
  });
});
