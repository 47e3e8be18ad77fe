// A bulletin's sends: the ones that reached someone or are still to come (a send cancelled or
// failed before it mailed anyone does not count), as the server's already_sent refusal counts them.
import type { ReactNode } from 'react';
import { roleAtLeast } from '../../db/schema';
import type { CampaignListItem } from '../../sending/schemas';
import { formatDate, formatNumber } from '../components';
import { useApi } from '../hooks';
import { BASE, Link } from '../router';
import { useStaff } from '../session';

const mailedSomeone = (c: CampaignListItem) =>
  !(c.state === 'cancelled' || c.state === 'failed') || c.counts.sent + c.counts.unknown > 0;

/** A send that needed approval and has not been approved: waiting, declined or withdrawn. */
const REQUEST_STATES: readonly CampaignListItem['state'][] = ['awaiting_approval', 'declined', 'withdrawn'];

/**
 * The bulletin's sends, newest first, and apart its newest request for approval still unanswered
 * or answered no: the one who asked reads there why.
 */
export function useBulletinSends(bulletinId: number) {
  const campaigns = useApi<{ data: CampaignListItem[] }>(`/api/campaigns?bulletinId=${bulletinId}`);
  const all = campaigns.data?.data;
  return {
    sends: all?.filter((c) => !REQUEST_STATES.includes(c.state) && mailedSomeone(c)),
    request: all?.find((c) => REQUEST_STATES.includes(c.state)),
    error: campaigns.error,
    reload: campaigns.reload,
  };
}

/** "Sent 3 Dec 2026, 14:05 to 23 people" or "Scheduled for …". */
export function sendSentence(send: CampaignListItem): string {
  const people = `${formatNumber(send.counts.total)} ${send.counts.total === 1 ? 'person' : 'people'}`;
  if (send.state === 'scheduled') return `Scheduled for ${formatDate(send.scheduledAt)}`;
  if (send.state === 'awaiting_approval') return `Awaiting approval since ${formatDate(send.createdAt)}`;
  // The one who asked reads here why: the campaign page is an editor's.
  if (send.state === 'declined') return `Declined: ${send.stateReason ?? 'no reason given'}`;
  if (send.state === 'withdrawn') return `Withdrawn: ${send.stateReason ?? 'the bulletin changed'}`;
  if (send.state === 'sent') return `Sent ${formatDate(send.startedAt ?? send.scheduledAt)} to ${people}`;
  return `Sending since ${formatDate(send.startedAt ?? send.scheduledAt)} to ${people} (${send.state})`;
}

/** The sends as a list, each linking to its report. */
export function SendList({ sends, children }: { sends: CampaignListItem[]; children?: ReactNode }) {
  const editor = roleAtLeast(useStaff().role, 'editor');
  return (
    <ul className="bulletin-sends">
      {sends.map((send) => (
        <li key={send.id}>
          {sendSentence(send)}
          {/* Reports are an editor's: they hold delivery errors, which can name addresses. */}
          {editor && (
            <>
              {' · '}
              <Link to={`${BASE}/campaigns/${send.id}`}>report of send {send.id}</Link>
            </>
          )}
        </li>
      ))}
      {children}
    </ul>
  );
}
