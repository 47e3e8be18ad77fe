// Every send, newest first: its bulletin, state, times and how many messages went.
import { settled } from '../../sending/campaign-states';
import type { CampaignListItem } from '../../sending/schemas';
import { Badge, ErrorNotice, formatDate, formatNumber, Loading, PageHeader } from '../components';
import { useApi } from '../hooks';
import { BASE, Link, useTitle } from '../router';
import './campaigns.css';

export function CampaignList() {
  useTitle('Sends');
  const campaigns = useApi<{ data: CampaignListItem[] }>('/api/campaigns');
  return (
    <>
      <PageHeader title="Sends" />
      <ErrorNotice error={campaigns.error} />
      {!campaigns.data ? (
        !campaigns.error && <Loading />
      ) : campaigns.data.data.length === 0 ? (
        <div className="card empty-state">
          <p>Nothing has been sent yet.</p>
          <p>
            Open a bulletin from the <Link to={`${BASE}/bulletins`}>bulletins</Link> and choose Send when its checks
            pass.
          </p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="campaign-table">
            <thead>
              <tr>
                <th scope="col">Bulletin</th>
                <th scope="col">State</th>
                <th scope="col">Scheduled for</th>
                <th scope="col">Finished</th>
                <th scope="col" className="number">
                  Sent
                </th>
                <th scope="col" className="number">
                  Failed
                </th>
                <th scope="col" className="number">
                  Audience
                </th>
              </tr>
            </thead>
            <tbody>
              {campaigns.data.data.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`${BASE}/campaigns/${c.id}`}>{c.bulletinTitle}</Link>
                    {c.tracking === 'off' && <span className="muted"> · no link tracking</span>}
                  </td>
                  <td>
                    <Badge value={c.state} />
                    {c.priority === 'urgent' && (
                      <>
                        {' '}
                        <Badge value="urgent" />
                      </>
                    )}
                    {['sending', 'paused'].includes(c.state) && c.counts.total > 0 && (
                      <span className="muted"> {Math.floor((settled(c.counts) * 100) / c.counts.total)}%</span>
                    )}
                  </td>
                  <td>{formatDate(c.scheduledAt)}</td>
                  <td>{formatDate(c.finishedAt)}</td>
                  <td className="number">{formatNumber(c.counts.sent)}</td>
                  <td className="number">{formatNumber(c.counts.failed)}</td>
                  <td className="number">
                    {c.counts.total || c.state === 'sent' ? formatNumber(c.counts.total) : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
