// The subscribe form and the pages of double opt-in: check your email, confirm, and the answers
// to a confirmation link (confirmed, expired, no longer valid, broken).
import type { CSSProperties } from 'react';
import { fillSlots } from '../../words/catalogue.js';
import type { PageContext } from '../page-context.js';
import { FIELDS, type Field, type FormState, HONEYPOT, NAME_MAX } from '../subscribe-form.js';
import { Page } from './page.js';
import { LanguageSelect, LanguageSwitch, TopicChoices, invalidField, maskEmail } from './parts.js';

const ERROR_STYLE: CSSProperties = {
  fontWeight: '700',
  borderInlineStart: '4px solid #b3261e',
  paddingInlineStart: '8px',
  margin: '4px 0',
};
// Off screen rather than display:none, which some bots check for; hidden from assistive technology.
export const HONEYPOT_STYLE: CSSProperties = {
  position: 'absolute',
  left: '-10000px',
  top: 'auto',
  width: '1px',
  height: '1px',
  overflow: 'hidden',
};

export function SubscribePage(props: {
  context: PageContext;
  topics: readonly { key: string; name: Record<string, string>; description: Record<string, string> }[];
  form: FormState;
}) {
  const { context, topics } = props;
  const { values, errors } = props.form;
  const w = context.words.subscribe;
  const hasError = (field: Field) => errors.includes(field);
  const error = (field: Field) =>
    hasError(field) && (
      <p id={`${field}-error`} style={ERROR_STYLE}>
        {`${w.errorPrefix}: ${w[`${field}Error`]}`}
      </p>
    );
  return (
    <Page context={context} title={errors.length ? `${w.errorPrefix}: ${w.title}` : w.title}>
      {errors.length === 0 && (
        <LanguageSwitch path={context.path} current={context.lang} languages={context.languages} />
      )}
      <h1>{w.title}</h1>
      <p>{fillSlots(w.intro, { organisation: context.settings.organisationName })}</p>
      {errors.length > 0 && (
        // biome-ignore lint/a11y/useAriaPropsSupportedByRole: as the page has always had it; a role is another change.
        <div style={{ ...ERROR_STYLE, padding: '8px 12px' }} aria-labelledby="problem">
          <h2 id="problem" style={{ fontSize: '19px', margin: '0 0 8px' }}>
            {w.problem}
          </h2>
          <ul>
            {FIELDS.filter(hasError).map((field) => (
              <li key={field}>
                <a href={`#${field === 'topics' ? 'topics-legend' : field}`}>{w[`${field}Error`]}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      <form method="post" action={`?lang=${context.lang}`}>
        {/* An error <p> inside the field's <p> ends it, as it always has: the field stays as it looked. */}
        <p className="field">
          <label htmlFor="email">{w.email}</label>
          <br />
          {error('email')}
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="email"
            required
            maxLength={254}
            defaultValue={values.email}
            {...invalidField('email', hasError('email'))}
          />
        </p>
        <p className="field">
          <label htmlFor="name">{w.name}</label>
          <br />
          {error('name')}
          <input
            id="name"
            name="name"
            type="text"
            autoComplete="name"
            maxLength={NAME_MAX}
            defaultValue={values.name}
            {...invalidField('name', hasError('name'))}
          />
        </p>
        <p className="field">
          <label htmlFor="language">{w.language}</label>
          <br />
          {error('language')}
          <LanguageSelect
            languages={context.settings.languages}
            selected={values.language}
            invalid={invalidField('language', hasError('language'))}
          />
        </p>
        {topics.length > 0 && (
          <fieldset aria-describedby={hasError('topics') ? 'topics-hint topics-error' : 'topics-hint'}>
            {'\n'}
            <legend id="topics-legend" tabIndex={-1}>
              {w.topics}
            </legend>
            <p id="topics-hint" className="hint">
              {w.topicsHint}
            </p>
            {error('topics')}
            <TopicChoices topics={topics} lang={context.lang} checked={values.topics} />
          </fieldset>
        )}
        <div style={HONEYPOT_STYLE} aria-hidden="true">
          <label htmlFor={HONEYPOT}>{w.honeypot}</label>{' '}
          <input id={HONEYPOT} name={HONEYPOT} type="text" tabIndex={-1} autoComplete="off" />
        </div>
        <p>
          <button type="submit">{w.subscribe}</button>
        </p>
      </form>
      <p>{w.leaveAnyTime}</p>
    </Page>
  );
}

/** The one answer to every subscribe post, whatever the address: it tells no one who is subscribed. */
export function CheckEmailPage(props: { context: PageContext }) {
  const w = props.context.words.subscribe;
  return (
    <Page context={props.context} title={w.checkEmail}>
      <h1>{w.checkEmail}</h1>
      <p>{w.checkEmailText}</p>
      <p>{w.checkEmailMore}</p>
    </Page>
  );
}

/** The button a pending, unexpired link shows: mail scanners follow links, so GET confirms nothing. */
export function ConfirmPage(props: { context: PageContext; email: string }) {
  const { context } = props;
  const w = context.words.subscribe;
  return (
    <Page context={context} title={w.confirm}>
      <LanguageSwitch path={context.path} current={context.lang} languages={context.languages} />
      <h1>{w.confirm}</h1>
      <p>
        {fillSlots(w.confirmText, { organisation: context.settings.organisationName })}{' '}
        <strong>{maskEmail(props.email)}</strong>.
      </p>
      <form method="post" action={`?lang=${context.lang}`}>
        <button type="submit">{w.confirmButton}</button>
      </form>
    </Page>
  );
}

/** What a confirmation link answers when it does not show the button. */
export type LinkAnswer =
  | { kind: 'invalid' }
  | { kind: 'stale'; subscribePath: string }
  | { kind: 'confirmed' }
  | { kind: 'expired'; resendPath: string };

/** The answer to a confirmation link; on a GET, with the language switch. */
export function LinkAnswerPage(props: { context: PageContext; answer: LinkAnswer; languageSwitch: boolean }) {
  const { context, answer } = props;
  const w = context.words.subscribe;
  const title = { invalid: w.invalid, stale: w.stale, confirmed: w.confirmed, expired: w.expired }[answer.kind];
  return (
    <Page context={context} title={title}>
      {props.languageSwitch && (
        <LanguageSwitch path={context.path} current={context.lang} languages={context.languages} />
      )}
      <h1>{title}</h1>
      {answer.kind === 'invalid' && <p>{w.invalidText}</p>}
      {answer.kind === 'stale' && (
        <p>
          {w.staleText} <a href={answer.subscribePath}>{w.title}</a>
        </p>
      )}
      {answer.kind === 'confirmed' && <p>{w.confirmedText}</p>}
      {answer.kind === 'expired' && (
        <>
          <p>{w.expiredText}</p>
          <form method="post" action={answer.resendPath}>
            <button type="submit">{w.resend}</button>
          </form>
        </>
      )}
    </Page>
  );
}
