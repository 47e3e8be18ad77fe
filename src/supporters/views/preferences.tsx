// The preference centre: topics, language, a pause, or leaving everything, for the subscriber a
// signed link names.
import { fillSlots } from '../../words/catalogue.js';
import { offeredLanguages } from '../language.js';
import type { PageContext } from '../page-context.js';
import type { LinkedSubscriber, PublicTopic } from '../supporter-store.js';
import { Page } from './page.js';
import { Choice, LanguageSelect, LanguageSwitch, TopicChoices, maskEmail } from './parts.js';

const PAUSE_DAYS = [30, 60, 90] as const;

/** What the last post did, said at the top of the page. */
export type PreferencesNotice = 'saved' | 'left';

export function PreferencesPage(props: {
  context: PageContext;
  subscriber: LinkedSubscriber;
  topics: readonly PublicTopic[];
  /** The keys of the topics the subscriber follows. */
  following: readonly string[];
  notice?: PreferencesNotice;
}) {
  const { context, subscriber, topics } = props;
  const w = context.words.preferences;
  const date = (iso: string) => new Intl.DateTimeFormat(context.locale, { dateStyle: 'long' }).format(new Date(iso));
  const paused =
    subscriber.paused_until && subscriber.paused_until > new Date().toISOString() ? subscriber.paused_until : null;
  const stopped = subscriber.status === 'bounced' || subscriber.status === 'complained';
  const unsubscribed = subscriber.status === 'unsubscribed';
  const status = statusText(w, props.notice, stopped, unsubscribed);
  return (
    <Page context={context} title={w.title}>
      <LanguageSwitch path={context.path} current={context.lang} languages={context.languages} />
      <h1>{w.title}</h1>
      {status && (
        <p role="status">
          <strong>{status}</strong>
        </p>
      )}
      <p>
        {fillSlots(w.intro, { organisation: context.settings.organisationName })}{' '}
        <strong>{maskEmail(subscriber.email)}</strong>.
      </p>
      {!stopped && (
        <form method="post">
          {/* The ids are where the unsubscribe page's "pause instead" and "choose topics" links land. */}
          {topics.length > 0 && (
            <fieldset id="topics">
              <legend>{w.topics}</legend>
              <TopicChoices topics={topics} lang={context.lang} checked={props.following} />
            </fieldset>
          )}
          <p className="field">
            <label htmlFor="language">{w.language}</label>
            <br />
            <LanguageSelect
              languages={offeredLanguages(context.settings.languages, subscriber.language)}
              selected={subscriber.language}
            />
          </p>
          <fieldset id="pause">
            <legend>{w.pause}</legend>
            <Choice type="radio" name="pause" value="keep" checked>
              {paused ? fillSlots(w.pausedUntil, { date: date(paused) }) : w.noPause}
            </Choice>
            {paused && (
              <Choice type="radio" name="pause" value="resume">
                {w.resume}
              </Choice>
            )}
            {PAUSE_DAYS.map((days) => (
              <Choice key={days} type="radio" name="pause" value={String(days)}>
                {fillSlots(w.pauseFor, { days: String(days) })}
              </Choice>
            ))}
          </fieldset>
          {!unsubscribed && (
            <Choice type="checkbox" name="leave" value="yes">
              {w.leave}
            </Choice>
          )}
          <p>
            <button type="submit">{unsubscribed ? w.saveAndReturn : w.save}</button>
          </p>
        </form>
      )}
    </Page>
  );
}

/** What the page says first: what just happened, else why no mail goes out; nothing otherwise. */
function statusText(
  w: PageContext['words']['preferences'],
  notice: PreferencesNotice | undefined,
  stopped: boolean,
  unsubscribed: boolean,
): string {
  if (notice === 'left') return w.left;
  if (stopped) return w.stopped;
  if (unsubscribed) return w.unsubscribed;
  if (notice === 'saved') return w.saved;
  return '';
}
