// Sending a bulletin: choose who gets it (topics, a saved segment or a rule), see who that reaches
// as it changes, choose when, whether links are counted and whether the send goes in the public
// archive, whether it is urgent, confirm with the count per language.
import { useRef, useState, type FormEvent } from 'react';
import type { Segment } from '../../audience/rules';
import { roleAtLeast } from '../../db/schema';
import type { AudiencePreviewWithBlocks, Topic } from '../../audience/schemas';
import type { Finding } from '../../bulletins/schemas';
import type { Campaign, CampaignListItem, Tracking } from '../../sending/schemas';
import { api, ApiError, errorMessage } from '../api';
import { SendList, sendSentence, useBulletinSends } from '../bulletins/BulletinSends';
import { describeFinding, type BulletinDocument } from '../bulletins/model';
import { isTranslationWarning, TranslationWarnings } from '../bulletins/TranslationMarks';
import { Dialog, ErrorNotice, Field, formatDate, formatNumber, Loading, Notice, PageHeader } from '../components';
import { useAction, useApi, useDebounced } from '../hooks';
import { BASE, Link, navigate, useTitle } from '../router';
import { useStaff } from '../session';
import { TopicChoices, topicName } from '../subscribers/fields';
import { AudienceCounts, audienceSentence, plural } from './AudienceCounts';
import { RuleBuilder } from './RuleBuilder';
import { fromRule, newGroup, toRule, type GroupNode, type Rule } from './rule-model';
import { localToIso, ScheduleField } from './ScheduleField';
import './campaigns.css';

interface Bulletin {
  id: number;
  title: string;
  document: BulletinDocument;
}

type Mode = 'topics' | 'segment' | 'rule';
type Audience = { rule: Rule } | { segmentId: number };
/** The server's already_sent refusal: the earlier sends and how many of this audience received one. */
interface AlreadySent {
  campaigns: CampaignListItem[];
  alreadyReceived: number;
}

export function SendBulletin({ id }: { id: number }) {
  // A writer's send always waits for an editor's approval (src/sending/send-policy.ts): they ask, on
  // a screen without the audience counts (those show subscribers' addresses, an editor's to see).
  return roleAtLeast(useStaff().role, 'editor') ? <SendScreen id={id} /> : <AskToSend id={id} />;
}

/** Everyone subscribed to the bulletin's topic: the campaign's topic narrows an empty rule. */
const EVERYONE: Rule = { all: [] };

function AskToSend({ id }: { id: number }) {
  const bulletin = useApi<Bulletin>(`/api/bulletins/${id}`);
  const segments = useApi<{ data: Segment[] }>('/api/segments');
  const { request, reload } = useBulletinSends(id);
  const [segmentId, setSegmentId] = useState('');
  const ask = useAction(async () => {
    await api<Campaign>('POST', `/api/bulletins/${id}/send`, {
      ...(segmentId ? { segmentId: Number(segmentId) } : { rule: EVERYONE }),
      resend: true,
    });
    reload();
  });
  const title = bulletin.data ? `Send ${bulletin.data.title}` : 'Send';
  useTitle(title);
  const back = `${BASE}/bulletins/${id}`;
  const waiting = request?.state === 'awaiting_approval';
  return (
    <>
      <PageHeader title={title} back={<Link to={back}>← Back to the bulletin</Link>} />
      <ErrorNotice error={bulletin.error ?? segments.error} />
      <Notice>
        <h2>Sending needs an editor’s approval</h2>
        <p>
          As a writer you ask for the send: an editor or an admin sees the mail in each language, the checks and who it
          reaches, and approves it or declines it with a comment. Saving a change to the bulletin withdraws the request.
        </p>
        {request && (
          <div className="send-request" role="status">
            <SendList sends={[request]} />
          </div>
        )}
        {!waiting && (
          <>
            <Field label="Send to">
              <select value={segmentId} onChange={(e) => setSegmentId(e.target.value)}>
                <option value="">Everyone subscribed to the bulletin’s topic</option>
                {segments.data?.data.map((segment) => (
                  <option key={segment.id} value={segment.id}>
                    {segment.name}
                  </option>
                ))}
              </select>
            </Field>
            <ErrorNotice error={ask.error} title="The request was not made." />
            <button type="button" className="button-primary" onClick={() => void ask.run()} disabled={ask.busy}>
              Ask for approval
            </button>
          </>
        )}
        <p>
          <Link to={`${back}?test`}>Send a test to yourself</Link>
        </p>
      </Notice>
    </>
  );
}

function SendScreen({ id }: { id: number }) {
  const bulletin = useApi<Bulletin>(`/api/bulletins/${id}`);
  const checks = useApi<{ ok: boolean; findings: Finding[] }>(`/api/bulletins/${id}/checks`);
  const topics = useApi<{ data: Topic[] }>('/api/topics');
  const segments = useApi<{ data: Segment[] }>('/api/segments');
  useTitle(bulletin.data ? `Send ${bulletin.data.title}` : 'Send');

  if (!bulletin.data || !topics.data || !segments.data) {
    const error = bulletin.error ?? topics.error ?? segments.error;
    return (
      <>
        <PageHeader title="Send" back={<Link to={`${BASE}/bulletins`}>← Bulletins</Link>} />
        {error ? <ErrorNotice error={error} /> : <Loading />}
      </>
    );
  }
  return (
    <SendForm
      bulletin={bulletin.data}
      findings={checks.data?.findings.filter((f) => f.level === 'error') ?? []}
      translationWarnings={checks.data?.findings.filter(isTranslationWarning) ?? []}
      topics={topics.data.data}
      segments={segments.data.data}
      onSegmentSaved={segments.reload}
    />
  );
}

function SendForm({
  bulletin,
  findings,
  translationWarnings,
  topics,
  segments,
  onSegmentSaved,
}: {
  bulletin: Bulletin;
  findings: Finding[];
  translationWarnings: Finding[];
  topics: Topic[];
  segments: Segment[];
  onSegmentSaved(): void;
}) {
  const [mode, setMode] = useState<Mode>('rule');
  const [chosenTopics, setChosenTopics] = useState<string[]>([]);
  const [segmentId, setSegmentId] = useState('');
  const [rule, setRule] = useState<GroupNode>(() => newGroup());
  const [when, setWhen] = useState<'now' | 'later'>('now');
  const [sendAt, setSendAt] = useState('');
  const [tracking, setTracking] = useState<Tracking>('aggregate');
  const [archive, setArchive] = useState(false);
  const [urgent, setUrgent] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<unknown>();
  const [alreadySent, setAlreadySent] = useState<AlreadySent>();
  const [leaveOutReceivers, setLeaveOutReceivers] = useState(false);
  const { sends } = useBulletinSends(bulletin.id);

  const audience: Audience | undefined =
    mode === 'topics'
      ? chosenTopics.length
        ? { rule: { any: chosenTopics.map((topic) => ({ topic })) } }
        : undefined
      : mode === 'segment'
        ? segmentId
          ? { segmentId: Number(segmentId) }
          : undefined
        : { rule: toRule(rule) };
  // A bulletin with blocks for some readers only: the preview counts who sees each of them too.
  const conditional = bulletin.document.blocks.some((block) => block.audience);
  const preview = useAudiencePreview(audience, bulletin.document.topic, conditional ? bulletin.id : undefined);
  const topic = topics.find((t) => t.key === bulletin.document.topic);
  const bulletinTopic = topic ? topicName(topic) : bulletin.document.topic;
  // The server refuses to publish a private topic's bulletin; a topic it does not know counts as private.
  const privateTopic = bulletin.document.topic !== undefined && !topic?.public;
  const published = archive && !privateTopic;
  const blockingFindings = sendError instanceof ApiError && sendError.status === 422 ? findingsOf(sendError) : findings;
  const scheduledAt = when === 'later' ? localToIso(sendAt) : undefined;
  const ready =
    audience &&
    preview.current &&
    preview.data!.eligible > 0 &&
    blockingFindings.length === 0 &&
    (when === 'now' || scheduledAt);

  const review = (event: FormEvent) => {
    event.preventDefault();
    if (ready) setConfirming(true);
  };

  /** The first time without resend: a bulletin that went out before is refused, and asked again about. */
  const send = async (again?: { leaveOutReceivers: boolean }) => {
    setSending(true);
    setSendError(undefined);
    const chosen =
      again?.leaveOutReceivers && alreadySent
        ? { rule: leaveOut(ruleOf(audience!, segments), alreadySent.campaigns) }
        : audience;
    try {
      const campaign = await api<Campaign>('POST', `/api/bulletins/${bulletin.id}/send`, {
        ...chosen,
        tracking,
        archive: published,
        priority: urgent ? 'urgent' : 'normal',
        ...(scheduledAt ? { scheduledAt } : {}),
        resend: again !== undefined,
      });
      navigate(`${BASE}/campaigns/${campaign.id}`);
    } catch (e) {
      const refusedAsSent = e instanceof ApiError && e.code === 'already_sent';
      setAlreadySent(refusedAsSent ? alreadySentOf(e) : undefined);
      if (!refusedAsSent) setSendError(e);
      setConfirming(false);
      setSending(false);
    }
  };

  return (
    <>
      <PageHeader
        title={`Send “${bulletin.title}”`}
        back={<Link to={`${BASE}/bulletins/${bulletin.id}`}>← Back to the bulletin</Link>}
      />
      {blockingFindings.length > 0 && <BlockingFindings bulletin={bulletin} findings={blockingFindings} />}
      <TranslationWarnings bulletin={bulletin} findings={translationWarnings} />
      {sendError !== undefined && !(sendError instanceof ApiError && sendError.status === 422) && (
        <ErrorNotice error={sendError} title="The send was not made." />
      )}
      {sends !== undefined && sends.length > 0 && (
        <div className="notice notice-warning" role="note">
          <strong>This bulletin went out before.</strong> Sending it again asks once more, with how many of the people
          chosen already received it.
          <SendList sends={sends} />
        </div>
      )}
      <form className="send-layout" onSubmit={review} noValidate>
        <div className="send-main">
          <section className="card" aria-labelledby="audience-title">
            <h2 id="audience-title">Audience</h2>
            {bulletinTopic && (
              <p className="muted">
                This bulletin is for the topic “{bulletinTopic}”: only its subscribers are eligible, whoever the
                audience selects.
              </p>
            )}
            <fieldset className="mode-choice">
              <legend>Choose the audience by</legend>
              {(
                [
                  ['topics', 'Topics'],
                  ['segment', 'A saved segment'],
                  ['rule', 'A rule'],
                ] as const
              ).map(([value, label]) => (
                <label key={value} className="checkbox">
                  <input
                    type="radio"
                    name="mode"
                    value={value}
                    checked={mode === value}
                    onChange={() => setMode(value)}
                  />
                  {label}
                </label>
              ))}
            </fieldset>
            {mode === 'topics' && <TopicChoices topics={topics} selected={chosenTopics} onChange={setChosenTopics} />}
            {mode === 'topics' && <p className="muted">Subscribers of any of the topics chosen.</p>}
            {mode === 'segment' && (
              <SegmentChoice
                segments={segments}
                value={segmentId}
                onChange={setSegmentId}
                onEdit={(segment) => {
                  setRule(fromRule(segment.rule));
                  setMode('rule');
                }}
              />
            )}
            {mode === 'rule' && (
              <>
                <RuleBuilder value={rule} onChange={setRule} topics={topics} error={preview.error} />
                <SaveSegment
                  rule={toRule(rule)}
                  onSaved={(segment) => {
                    onSegmentSaved();
                    setSegmentId(String(segment.id));
                  }}
                />
              </>
            )}
          </section>

          <section className="card" aria-labelledby="delivery-title">
            <h2 id="delivery-title">When and how</h2>
            <fieldset>
              <legend>When</legend>
              <label className="checkbox">
                <input type="radio" name="when" checked={when === 'now'} onChange={() => setWhen('now')} />
                Send now
              </label>
              <label className="checkbox">
                <input type="radio" name="when" checked={when === 'later'} onChange={() => setWhen('later')} />
                Schedule for later
              </label>
              {when === 'later' && (
                <ScheduleField
                  label="Send at"
                  value={sendAt}
                  onChange={setSendAt}
                  error={sendError instanceof ApiError ? sendError.issueFor('scheduledAt') : undefined}
                />
              )}
            </fieldset>
            <fieldset>
              <legend>Link tracking</legend>
              <label className="checkbox">
                <input
                  type="radio"
                  name="tracking"
                  checked={tracking === 'aggregate'}
                  onChange={() => setTracking('aggregate')}
                />
                Count clicks per link, in aggregate (no one is identified)
              </label>
              <label className="checkbox">
                <input type="radio" name="tracking" checked={tracking === 'off'} onChange={() => setTracking('off')} />
                Off: sensitive send, no link counted
              </label>
            </fieldset>
            <fieldset>
              <legend>Public archive</legend>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={published}
                  disabled={privateTopic}
                  onChange={(e) => setArchive(e.target.checked)}
                  aria-describedby="archive-note"
                />
                Publish in the public archive
              </label>
              <p className="muted" id="archive-note">
                {privateTopic
                  ? `The topic “${bulletinTopic}” is not public: its bulletins never go in the public archive.`
                  : 'Anyone can read it on the web then, with nothing personal; “view in browser” leads there.'}
              </p>
            </fieldset>
            <fieldset>
              <legend>Priority</legend>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={urgent}
                  onChange={(e) => setUrgent(e.target.checked)}
                  aria-describedby="urgent-note"
                />
                Urgent — goes out before other sends in progress
              </label>
              <p className="muted" id="urgent-note">
                Other sends in progress wait where they are and continue once this one is out; the account’s rate is
                shared, so the total pace stays the same.
              </p>
            </fieldset>
          </section>
        </div>

        <aside className="send-side">
          <AudienceCounts
            preview={preview.data}
            blocks={bulletin.document.blocks}
            counting={preview.counting}
            problem={
              !audience
                ? 'Choose an audience to see who it reaches.'
                : preview.error === undefined
                  ? undefined
                  : ruleProblem(preview.error)
            }
          />
          <div className="card send-action">
            <button type="submit" className="button-primary" disabled={!ready}>
              {when === 'now' ? 'Review and send…' : 'Review and schedule…'}
            </button>
            {!ready && (
              <p className="muted">
                {notReadyReason({ audience, preview, findings: blockingFindings, when, scheduledAt })}
              </p>
            )}
          </div>
        </aside>
      </form>

      <Dialog
        open={confirming}
        title={when === 'now' ? 'Send this bulletin?' : 'Schedule this bulletin?'}
        onClose={() => setConfirming(false)}
      >
        {preview.data && (
          <p className="confirm-sentence">Send to {audienceSentence(preview.data, bulletin.document.languages)}.</p>
        )}
        <ul className="confirm-details">
          <li>{scheduledAt ? `Starts ${formatDate(scheduledAt)}.` : 'Starts now.'}</li>
          <li>
            {tracking === 'off'
              ? 'Link tracking off: sensitive send, no link counted.'
              : 'Clicks counted per link and language, in aggregate.'}
          </li>
          <li>{published ? 'Published in the public archive.' : 'Not in the public archive.'}</li>
          {urgent && <li>Urgent: goes out before other sends in progress, which continue after.</li>}
          <li>Who is eligible is counted again when the send starts: anyone who leaves before then gets nothing.</li>
        </ul>
        <div className="dialog-actions">
          <button type="button" onClick={() => setConfirming(false)}>
            Go back
          </button>
          <button type="button" className="button-primary" onClick={() => void send()} disabled={sending}>
            {sending ? 'Sending…' : scheduledAt ? 'Schedule the send' : 'Send now'}
          </button>
        </div>
      </Dialog>

      <Dialog
        open={alreadySent !== undefined}
        title="Send this bulletin again?"
        onClose={() => setAlreadySent(undefined)}
      >
        {alreadySent && (
          <>
            <p className="confirm-sentence">
              {sendSentence(alreadySent.campaigns[0]!)}
              {alreadySent.campaigns.length > 1 && ` (and ${plural(alreadySent.campaigns.length - 1, 'earlier send')})`}
              . {receivedSentence(alreadySent.alreadyReceived)}
            </p>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={leaveOutReceivers}
                onChange={(e) => setLeaveOutReceivers(e.target.checked)}
              />
              Leave out the people who already received it
            </label>
            <div className="dialog-actions">
              <button type="button" onClick={() => setAlreadySent(undefined)}>
                Don’t send
              </button>
              <button
                type="button"
                className="button-primary"
                onClick={() => void send({ leaveOutReceivers })}
                disabled={sending}
              >
                {sending ? 'Sending…' : scheduledAt ? 'Schedule it again' : 'Send it again'}
              </button>
            </div>
          </>
        )}
      </Dialog>
    </>
  );
}

/**
 * POSTs the audience to the preview a moment after it last changed; a newer change discards an
 * older answer. The last numbers stay on screen (dimmed) while the next ones are counted.
 */
function useAudiencePreview(audience: Audience | undefined, topic: string | undefined, bulletinId?: number) {
  const key = JSON.stringify([audience ?? null, topic ?? null, bulletinId ?? null]);
  const [result, setResult] = useState<{ key: string; error?: unknown }>();
  const [last, setLast] = useState<AudiencePreviewWithBlocks>();
  const latest = useRef<AbortController>(undefined);
  useDebounced(
    () => {
      latest.current?.abort();
      if (!audience) return setResult({ key });
      const controller = new AbortController();
      latest.current = controller;
      api<AudiencePreviewWithBlocks>(
        'POST',
        '/api/audience/preview',
        { ...audience, ...(topic ? { topic } : {}), ...(bulletinId ? { bulletinId } : {}) },
        { signal: controller.signal },
      )
        .then((answer) => {
          setLast(answer);
          setResult({ key });
        })
        .catch((e: unknown) => {
          if (!controller.signal.aborted) setResult({ key, error: e });
        });
    },
    400,
    [key],
  );
  const answered = result?.key === key;
  return {
    data: audience ? last : undefined,
    error: result?.error,
    counting: audience !== undefined && !answered,
    /** The numbers shown are those of the audience chosen now. */
    current: answered && result.error === undefined && last !== undefined,
  };
}

function ruleProblem(error: unknown): string {
  if (error instanceof ApiError && error.status === 400)
    return 'The audience is not complete yet: see the messages beside the conditions.';
  return `The audience cannot be counted: ${errorMessage(error)}`;
}

function notReadyReason(s: {
  audience: Audience | undefined;
  preview: ReturnType<typeof useAudiencePreview>;
  findings: Finding[];
  when: string;
  scheduledAt: string | undefined;
}): string {
  if (s.findings.length) return 'The checks found errors: mend them in the composer first.';
  if (!s.audience) return 'Choose an audience first.';
  if (s.preview.error) return 'Complete the audience first.';
  if (s.preview.counting || !s.preview.data) return 'Counting who it reaches…';
  if (s.preview.data.eligible === 0) return 'No one is eligible: choose another audience.';
  if (s.when === 'later' && !s.scheduledAt) return 'Choose the date and time to send at.';
  return '';
}

function receivedSentence(n: number): string {
  if (n === 0) return 'None of the people chosen now received it.';
  return `${n === 1 ? 'One person' : `${formatNumber(n)} people`} of those chosen now already received it.`;
}

function alreadySentOf(error: ApiError): AlreadySent {
  const details = (error.body as { error?: Partial<AlreadySent> } | undefined)?.error;
  return { campaigns: details?.campaigns ?? [], alreadyReceived: details?.alreadyReceived ?? 0 };
}

function ruleOf(audience: Audience, segments: Segment[]): Rule {
  return 'rule' in audience ? audience.rule : segments.find((s) => s.id === audience.segmentId)!.rule;
}

/** The audience without anyone an earlier send of the bulletin reached. */
function leaveOut(rule: Rule, earlier: CampaignListItem[]): Rule {
  return { all: [rule, { not: { any: earlier.map((c) => ({ campaign: c.id, received: true })) } }] };
}

function findingsOf(error: ApiError): Finding[] {
  return (
    (error.body as { error?: { findings?: Finding[] } } | undefined)?.error?.findings?.filter(
      (f) => f.level === 'error',
    ) ?? []
  );
}

function BlockingFindings({ bulletin, findings }: { bulletin: Bulletin; findings: Finding[] }) {
  return (
    <div className="notice notice-error" role="alert">
      <strong>
        The pre-send checks found {plural(findings.length, 'error')}; the bulletin cannot be sent until they are mended.
      </strong>
      <ul>
        {findings.map((finding, i) => {
          const { where, message } = describeFinding(bulletin.document, finding);
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: two findings may be identical; the index tells them apart
            <li key={i}>
              {where && <strong>{where}: </strong>}
              {message}
            </li>
          );
        })}
      </ul>
      <p>
        <Link to={`${BASE}/bulletins/${bulletin.id}`}>Open the composer to mend them</Link>
      </p>
    </div>
  );
}

function SegmentChoice({
  segments,
  value,
  onChange,
  onEdit,
}: {
  segments: Segment[];
  value: string;
  onChange(id: string): void;
  onEdit(segment: Segment): void;
}) {
  const chosen = segments.find((s) => String(s.id) === value);
  if (segments.length === 0)
    return <p className="muted">No segment is saved yet. Build a rule and save it as a segment to use it again.</p>;
  return (
    <div className="segment-choice">
      <Field label="Segment">
        <select value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">Choose a segment…</option>
          {segments.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </Field>
      {chosen && (
        <button type="button" className="button-small" onClick={() => onEdit(chosen)}>
          Edit a copy as a rule
        </button>
      )}
    </div>
  );
}

function SaveSegment({ rule, onSaved }: { rule: Rule; onSaved(segment: Segment): void }) {
  const [name, setName] = useState('');
  const [saved, setSaved] = useState<Segment>();
  const save = useAction(async () => {
    setSaved(undefined);
    const segment = await api<Segment>('POST', '/api/segments', { name, rule });
    setSaved(segment);
    setName('');
    onSaved(segment);
  });
  const nameError = save.issue('name');
  return (
    <div className="save-segment">
      <Field
        label="Save this rule as a segment"
        hint="To choose the same people again for a later send."
        error={nameError}
      >
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Segment name" />
      </Field>
      <button type="button" className="button-small" onClick={() => void save.run()} disabled={save.busy}>
        Save segment
      </button>
      {!nameError && <ErrorNotice error={save.error} title="The segment was not saved." />}
      {saved && <Notice kind="success">Saved as the segment “{saved.name}”.</Notice>}
    </div>
  );
}
