// The subscribe form as it goes on another website: the fields of the form at GET /subscribe, its
// language fixed and its topics chosen beforehand, with no style sheet or script of its own (the
// website's apply); it reads top to bottom without any.
import type { Words } from '../../words/catalogue.js';
import { type Field, HONEYPOT, NAME_MAX } from '../subscribe-form.js';
import { HONEYPOT_STYLE } from './subscribe.js';

/** Ids the website's own page is unlikely to use. */
const id = (name: string) => `pregon-${name}`;
const field = (name: Field) => name;

export function EmbeddedForm(props: {
  /** POST /subscribe?lang=…, in full: the form is posted from another site. */
  action: string;
  /** What the form's `language` field says: the language of the emails. */
  language: string;
  /** The language of the form's words (the language's own, its base's, or the default's). */
  wordsLanguage: string;
  words: Words['subscribe'];
  topics: readonly { key: string; name: Record<string, string> }[];
}) {
  const { words: w, topics, language } = props;
  const topicName = (topic: (typeof topics)[number]) =>
    topic.name[language] ?? topic.name[props.wordsLanguage] ?? Object.values(topic.name)[0] ?? topic.key;
  return (
    <form method="post" action={props.action} acceptCharset="utf-8" lang={props.wordsLanguage}>
      <p>
        <label htmlFor={id('email')}>{w.email}</label>
        <br />
        <input id={id('email')} name={field('email')} type="email" autoComplete="email" required maxLength={254} />
      </p>
      <p>
        <label htmlFor={id('name')}>{w.name}</label>
        <br />
        <input id={id('name')} name={field('name')} type="text" autoComplete="name" maxLength={NAME_MAX} />
      </p>
      <input type="hidden" name={field('language')} value={language} />
      {topics.length === 1 && <input type="hidden" name={field('topics')} value={topics[0]!.key} />}
      {topics.length > 1 && (
        // Every one ticked to begin with: none ticked would subscribe to every public topic, these and others.
        <fieldset>
          <legend>{w.topics}</legend>
          {topics.map((topic) => (
            <p key={topic.key}>
              <label>
                <input type="checkbox" name={field('topics')} value={topic.key} defaultChecked /> {topicName(topic)}
              </label>
            </p>
          ))}
        </fieldset>
      )}
      <div style={HONEYPOT_STYLE} aria-hidden="true">
        <label htmlFor={id(HONEYPOT)}>{w.honeypot}</label>{' '}
        <input id={id(HONEYPOT)} name={HONEYPOT} type="text" tabIndex={-1} autoComplete="off" />
      </div>
      <p>
        <button type="submit">{w.subscribe}</button>
      </p>
      <p>{w.leaveAnyTime}</p>
    </form>
  );
}
