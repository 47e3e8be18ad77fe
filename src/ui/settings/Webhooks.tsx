// Outgoing webhooks (admins): the endpoints events are POSTed to, what each receives, how its
// deliveries went, a test event. A new endpoint's signing secret is shown once.
import { useEffect, useId, useState } from 'react';
import {
  CAMPAIGN_EVENT_TYPES,
  EVENT_MEANINGS,
  SUBSCRIBER_EVENT_TYPES,
  WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
} from '../../webhooks/event-types';
import type { WebhookDelivery, WebhookEndpoint } from '../../webhooks/schemas';
import { api } from '../api';
import { Badge, ConfirmDialog, ErrorNotice, Field, formatDate, Loading, Notice, PageHeader } from '../components';
import { submitTo, useAction, useApi } from '../hooks';
import { BASE, Link, useTitle } from '../router';
import { SecretShownOnce } from './SecretShownOnce';
import './settings.css';

type CreatedEndpoint = WebhookEndpoint & { secret: string };

/** How long the log is read again after a test event, and how often: a delivery takes a second or two. */
const WATCH_MS = 10_000;
const WATCH_EVERY_MS = 1000;

const EVENT_GROUPS: { legend: string; types: readonly WebhookEventType[] }[] = [
  { legend: 'Subscribers', types: SUBSCRIBER_EVENT_TYPES },
  { legend: 'Sends', types: CAMPAIGN_EVENT_TYPES },
];

export function Webhooks() {
  useTitle('Webhooks');
  const endpoints = useApi<{ data: WebhookEndpoint[] }>('/api/webhooks');
  const [created, setCreated] = useState<CreatedEndpoint>();
  const [deleting, setDeleting] = useState<WebhookEndpoint>();
  const [done, setDone] = useState<string>();

  return (
    <>
      <PageHeader title="Webhooks" back={<Link to={`${BASE}/settings`}>← Settings</Link>} />
      <div className="grid-2 admin-columns">
        <section className="card" aria-labelledby="webhooks-about">
          <h2 id="webhooks-about">Sending events to other programs</h2>
          <p>
            When something happens in Pregón (someone subscribes, unsubscribes or is erased; a send starts or ends), it
            can POST an event to your CRM or another program at the address you give. Each endpoint receives the events
            you tick.
          </p>
          <p>
            Every request is signed as <a href="https://www.standardwebhooks.com/">Standard Webhooks</a> says, with the
            endpoint’s own secret, so the receiver can tell it came from Pregón. A delivery that fails is tried again
            for 24 hours; an endpoint that fails for 3 days running is disabled and the admins are told by mail.
          </p>
          <ul className="admin-links">
            <li>
              <a href="/api/schemas/webhook-events.json">What each event contains (JSON Schema)</a>
            </li>
          </ul>
        </section>
        <NewEndpoint
          onCreated={(endpoint) => {
            setDone(undefined);
            setCreated(endpoint);
            endpoints.reload();
          }}
        />
      </div>
      {created && <CreatedEndpointNotice created={created} onDone={() => setCreated(undefined)} />}
      {done && <Notice kind="success">{done}</Notice>}
      <h2 className="admin-section-title">Endpoints</h2>
      <ErrorNotice error={endpoints.error} title="The endpoints could not be loaded." />
      {!endpoints.data && endpoints.loading && <Loading label="Loading endpoints…" />}
      {endpoints.data && endpoints.data.data.length === 0 && (
        <p className="card admin-empty">No endpoints yet: no events are sent anywhere.</p>
      )}
      {endpoints.data?.data.map((endpoint) => (
        <EndpointCard
          key={endpoint.id}
          endpoint={endpoint}
          onChanged={(changed) =>
            endpoints.setData({
              data: (endpoints.data?.data ?? []).map((e) => (e.id === changed.id ? changed : e)),
            })
          }
          onDelete={() => setDeleting(endpoint)}
        />
      ))}
      {deleting && (
        <DeleteDialog
          endpoint={deleting}
          onClose={() => setDeleting(undefined)}
          onDeleted={() => {
            setDeleting(undefined);
            if (created?.id === deleting.id) setCreated(undefined);
            setDone(`The endpoint ${deleting.url} was deleted.`);
            endpoints.reload();
          }}
        />
      )}
    </>
  );
}

function NewEndpoint({ onCreated }: { onCreated(endpoint: CreatedEndpoint): void }) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<readonly WebhookEventType[]>(WEBHOOK_EVENT_TYPES);
  const create = useAction(async () => {
    onCreated(await api<CreatedEndpoint>('POST', '/api/webhooks', { url, description, events }));
    setUrl('');
    setDescription('');
    setEvents(WEBHOOK_EVENT_TYPES);
  });
  const eventsError = create.issue('events');
  const eventsErrorId = useId();
  const toggle = (type: WebhookEventType, on: boolean) =>
    // Kept in the order of WEBHOOK_EVENT_TYPES, whatever order they were ticked in.
    setEvents((chosen) => WEBHOOK_EVENT_TYPES.filter((t) => (t === type ? on : chosen.includes(t))));

  return (
    <form className="card" onSubmit={submitTo(create)} aria-labelledby="new-endpoint">
      <h2 id="new-endpoint">New endpoint</h2>
      <ErrorNotice error={create.error} title="No endpoint was added." beside={['url', 'description', 'events']} />
      <Field
        label="Endpoint URL"
        hint="Where events are POSTed: an https address of the receiving program."
        error={create.issue('url')}
      >
        <input
          type="url"
          required
          maxLength={2000}
          placeholder="https://"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
      </Field>
      <Field
        label="Description"
        hint="Optional. What receives them, such as “CRM”."
        error={create.issue('description')}
      >
        <input maxLength={200} value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
      <fieldset
        className={`webhook-events ${eventsError ? 'field-invalid' : ''}`}
        aria-describedby={eventsError ? eventsErrorId : undefined}
      >
        <legend>Events</legend>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={events.length === WEBHOOK_EVENT_TYPES.length}
            onChange={(e) => setEvents(e.target.checked ? WEBHOOK_EVENT_TYPES : [])}
          />
          <span>All events</span>
        </label>
        {EVENT_GROUPS.map((group) => (
          <fieldset key={group.legend} className="webhook-event-group">
            <legend>{group.legend}</legend>
            {group.types.map((type) => (
              <label key={type} className="checkbox">
                <input
                  type="checkbox"
                  checked={events.includes(type)}
                  onChange={(e) => toggle(type, e.target.checked)}
                />
                <span>
                  <code>{type}</code>
                  <span className="field-hint webhook-event-meaning">{EVENT_MEANINGS[type]}</span>
                </span>
              </label>
            ))}
          </fieldset>
        ))}
        {eventsError && (
          <p className="field-error" id={eventsErrorId}>
            {eventsError}
          </p>
        )}
      </fieldset>
      <button type="submit" className="button-primary" disabled={create.busy}>
        {create.busy ? 'Adding…' : 'Add endpoint'}
      </button>
    </form>
  );
}

function CreatedEndpointNotice({ created, onDone }: { created: CreatedEndpoint; onDone(): void }) {
  return (
    <SecretShownOnce
      title={`Copy the signing secret of ${created.url} now`}
      label="Signing secret"
      secret={created.secret}
      onDone={onDone}
    >
      <p>
        Give it to the receiving program: it checks with it that each request was signed by Pregón. This is the only
        time it is shown. If it is lost, delete the endpoint and add it again, which makes a new secret.
      </p>
    </SecretShownOnce>
  );
}

function EndpointStatus({ endpoint }: { endpoint: WebhookEndpoint }) {
  if (!endpoint.enabled)
    return (
      <>
        <Badge value="failed" label="Disabled" />
        {endpoint.disabledReason && <span className="muted"> {endpoint.disabledReason}</span>}
      </>
    );
  if (endpoint.failingSince)
    return <Badge value="warning" label={`Failing since ${formatDate(endpoint.failingSince)}`} />;
  return <Badge value="ok" label="Enabled" />;
}

function EndpointCard({
  endpoint,
  onChanged,
  onDelete,
}: {
  endpoint: WebhookEndpoint;
  onChanged(endpoint: WebhookEndpoint): void;
  onDelete(): void;
}) {
  const headingId = useId();
  const logId = useId();
  const [logShown, setLogShown] = useState(false);
  /** Until when the log is read again every second: set by a test event. */
  const [watchUntil, setWatchUntil] = useState(0);
  const [said, setSaid] = useState<string>();
  const toggleEnabled = useAction(async () => {
    const enabled = !endpoint.enabled;
    onChanged(await api<WebhookEndpoint>('PATCH', `/api/webhooks/${endpoint.id}`, { enabled }));
    setSaid(enabled ? 'Enabled: events are sent to it again.' : 'Disabled: no events are sent to it.');
  });
  const test = useAction(async () => {
    await api('POST', `/api/webhooks/${endpoint.id}/test`);
    setSaid('A test event was sent: the delivery log shows how it went.');
    setLogShown(true);
    setWatchUntil(Date.now() + WATCH_MS);
  });

  return (
    <section className="card webhook-endpoint" aria-labelledby={headingId}>
      <div className="webhook-endpoint-head">
        <h3 id={headingId} className="webhook-url">
          {endpoint.url}
        </h3>
        <EndpointStatus endpoint={endpoint} />
      </div>
      {endpoint.description && <p>{endpoint.description}</p>}
      <p className="webhook-endpoint-events">
        <span className="muted">Events: </span>
        {endpoint.events.length === WEBHOOK_EVENT_TYPES.length
          ? 'all'
          : endpoint.events.map((type, i) => (
              <span key={type}>
                {i > 0 && ', '}
                <code>{type}</code>
              </span>
            ))}
      </p>
      <ErrorNotice error={toggleEnabled.error} title="Not changed." />
      <ErrorNotice error={test.error} title="No test event was sent." />
      <div className="webhook-endpoint-actions">
        <button type="button" onClick={() => void test.run()} disabled={test.busy}>
          {test.busy ? 'Sending…' : 'Send a test event'}
        </button>
        <button type="button" onClick={() => void toggleEnabled.run()} disabled={toggleEnabled.busy}>
          {endpoint.enabled ? 'Disable' : 'Enable'}
        </button>
        <button type="button" aria-expanded={logShown} aria-controls={logId} onClick={() => setLogShown(!logShown)}>
          Delivery log
        </button>
        <button type="button" className="button-danger" onClick={onDelete}>
          Delete<span className="visually-hidden"> {endpoint.url}</span>
        </button>
      </div>
      <p role="status" className="webhook-said">
        {said}
      </p>
      <div id={logId}>{logShown && <DeliveryLog endpoint={endpoint} watchUntil={watchUntil} />}</div>
    </section>
  );
}

function DeliveryLog({ endpoint, watchUntil }: { endpoint: WebhookEndpoint; watchUntil: number }) {
  const log = useApi<{ data: WebhookDelivery[] }>(`/api/webhooks/${endpoint.id}/deliveries`);
  const { reload } = log;
  // After a test event: read again every second for a while, so its delivery shows without a click.
  useEffect(() => {
    if (Date.now() >= watchUntil) return;
    reload();
    const timer = setInterval(() => {
      if (Date.now() < watchUntil) reload();
      else clearInterval(timer);
    }, WATCH_EVERY_MS);
    return () => clearInterval(timer);
  }, [watchUntil, reload]);

  return (
    <div className="webhook-log">
      <div className="webhook-log-head">
        <h4>Delivery log</h4>
        <button type="button" className="button-small" onClick={reload} disabled={log.loading}>
          Refresh<span className="visually-hidden"> the delivery log of {endpoint.url}</span>
        </button>
      </div>
      <ErrorNotice error={log.error} title="The delivery log could not be loaded." />
      {!log.data && log.loading && <Loading label="Loading the delivery log…" />}
      {log.data && log.data.data.length === 0 && (
        <p className="muted">No deliveries: none was made yet, or the last ended over a week ago.</p>
      )}
      {log.data && log.data.data.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">The latest deliveries to {endpoint.url}, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Response</th>
                <th scope="col">Attempts</th>
                <th scope="col">Next try</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {log.data.data.map((delivery) => (
                <tr key={delivery.id}>
                  <td>{formatDate(delivery.createdAt)}</td>
                  <td>
                    <code>{delivery.type}</code>
                  </td>
                  <td>
                    <Badge
                      value={delivery.status}
                      label={delivery.status === 'pending' && delivery.attempts > 0 ? 'retrying' : undefined}
                    />
                  </td>
                  <td>{delivery.responseCode ?? <span className="muted">None</span>}</td>
                  <td>{delivery.attempts}</td>
                  <td>{delivery.nextAttemptAt ? formatDate(delivery.nextAttemptAt) : '—'}</td>
                  <td className="webhook-error">{delivery.lastError ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function DeleteDialog({
  endpoint,
  onClose,
  onDeleted,
}: {
  endpoint: WebhookEndpoint;
  onClose(): void;
  onDeleted(): void;
}) {
  return (
    <ConfirmDialog
      title="Delete this endpoint?"
      confirmLabel="Delete endpoint"
      busyLabel="Deleting…"
      onConfirm={async () => {
        await api('DELETE', `/api/webhooks/${endpoint.id}`);
        onDeleted();
      }}
      onClose={onClose}
    >
      <p>
        No more events go to <span className="webhook-url">{endpoint.url}</span>, and its delivery log is deleted with
        it.
      </p>
    </ConfirmDialog>
  );
}
