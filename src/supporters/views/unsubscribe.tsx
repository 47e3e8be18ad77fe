// The unsubscribe pages: the question (or why there is none), the answer, and the way back.
import type { PageContext } from '../page-context.js';
import type { LinkedSubscriber } from '../supporter-store.js';
import { fillSlots, wordsFor } from '../../words/catalogue.js';
import { Page } from './page.js';
import { InOtherLanguage, LanguageSwitch, maskEmail } from './parts.js';

/**
 * What a GET shows, changing nothing: the button, with a pause or fewer topics offered instead;
 * to someone who already left, that they did and the way back; to a bounced or complained
 * address, that no more mail goes to it.
 */
export function AskPage(props: {
  context: PageContext;
  subscriber: LinkedSubscriber;
  /** The subscriber's own preferences page, with ?lang=. */
  preferences: string;
  /** "Choose topics instead" only where there are topics to choose. */
  hasTopics: boolean;
}) {
  const { context, subscriber, preferences } = props;
  const w = context.words.unsubscribe;
  const organisation = { organisation: context.settings.organisationName };
  const email = <strong>{maskEmail(subscriber.email)}</strong>;
  const state = standing(subscriber);
  const title = { subscribed: w.title, left: w.already, stopped: w.stopped }[state];
  return (
    <Page context={context} title={title}>
      <LanguageSwitch path={context.path} current={context.lang} languages={context.languages} />
      <h1>{title}</h1>
      {state === 'subscribed' ? (
        <>
          <p>
            {fillSlots(w.ask, organisation)} {email}. {w.askMore}
          </p>
          <form method="post">
            <button type="submit">{w.button}</button>
          </form>
          <h2>{w.instead}</h2>
          <ul className="other-ways">
            <li>
              <a href={`${preferences}#pause`}>{w.pauseInstead}</a>
            </li>
            {props.hasTopics && (
              <li>
                <a href={`${preferences}#topics`}>{w.topicsInstead}</a>
              </li>
            )}
          </ul>
        </>
      ) : (
        <>
          <p>
            {fillSlots(w.alreadyText, organisation)} {email}.
          </p>
          {state === 'left' && <ComeBack context={context} preferences={preferences} />}
        </>
      )}
    </Page>
  );
}

/** Whether there is anything left to leave: not for who left, nor for an address mail no longer goes to. */
function standing(subscriber: LinkedSubscriber): 'subscribed' | 'left' | 'stopped' {
  if (subscriber.status === 'unsubscribed') return 'left';
  if (subscriber.status === 'bounced' || subscriber.status === 'complained') return 'stopped';
  return 'subscribed';
}

/** After the one-click POST, whoever sent it. */
export function DonePage(props: { context: PageContext; email: string; preferences: string }) {
  const { context } = props;
  const w = context.words.unsubscribe;
  return (
    <Page context={context} title={w.done}>
      <h1>{w.done}</h1>
      <p>
        {fillSlots(w.doneText, { organisation: context.settings.organisationName })}{' '}
        <strong>{maskEmail(props.email)}</strong>.
      </p>
      <ComeBack context={context} preferences={props.preferences} />
    </Page>
  );
}

/** "Changed your mind? Subscribe again from your preferences page." Saving there subscribes again. */
function ComeBack(props: { context: PageContext; preferences: string }) {
  const w = props.context.words.unsubscribe;
  return (
    <p>
      {w.changedMind} <a href={props.preferences}>{w.resubscribe}</a> {w.fromPreferences}
    </p>
  );
}

/** A link that names no one: in English, then in Spanish. */
export function InvalidUnsubscribeLinkPage(props: { context: PageContext }) {
  const { settings } = props.context;
  const [en, es] = [wordsFor('en', settings).unsubscribe, wordsFor('es', settings).unsubscribe];
  return (
    <Page context={{ settings, lang: 'en' }} title={en.invalid}>
      <h1>{en.invalid}</h1>
      <p>{en.invalidText}</p>
      <InOtherLanguage lang="es" title={es.invalid} text={es.invalidText} />
    </Page>
  );
}
