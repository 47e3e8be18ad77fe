// The pieces more than one public page shows: the language switch and choice, a choice row,
// the topics, a paragraph in the other language, and a masked address.
import { Children, Fragment, isValidElement, type ReactNode } from 'react';
import { textDirection } from '../../render/strings.js';
import { PAGE_LANGUAGES, type PageLanguage } from '../language.js';

/** "English · Español": links to the same page in each of `languages`, each named in its own words. */
export function LanguageSwitch(props: { path: string; current: string; languages: readonly string[] }) {
  if (props.languages.length < 2) return null;
  return (
    <nav aria-label="Language / Idioma">
      <p>
        <Joined>
          {props.languages.map((lang) =>
            lang === props.current ? (
              <strong key={lang}>{nativeLanguageName(lang)}</strong>
            ) : (
              <a key={lang} href={`${props.path}?lang=${lang}`} lang={lang} hrefLang={lang}>
                {nativeLanguageName(lang)}
              </a>
            ),
          )}
        </Joined>
      </p>
    </nav>
  );
}

/**
 * The `languages` to choose from, each in its own words: `selected` when it is one of them, else
 * its base language (a reader of es-MX has es), else the first.
 */
export function LanguageSelect(props: {
  languages: readonly string[];
  selected: string;
  invalid?: ReturnType<typeof invalidField>;
}) {
  const { languages, selected } = props;
  const base = selected.split('-')[0];
  const chosen = languages.includes(selected) ? selected : languages.find((lang) => lang === base);
  return (
    <select id="language" name="language" defaultValue={chosen} {...props.invalid}>
      {languages.map((lang) => (
        <option key={lang} value={lang} lang={lang} dir={textDirection(lang)}>
          {nativeLanguageName(lang)}
        </option>
      ))}
    </select>
  );
}

/** "English", "Español", "العربية": each language in its own words (its code, when Intl has no name). */
export function nativeLanguageName(code: string): string {
  const name = new Intl.DisplayNames([code], { type: 'language', fallback: 'code' }).of(code) ?? code;
  return name.charAt(0).toLocaleUpperCase(code) + name.slice(1);
}

/** The attributes of a field whose error is shown beside it, in the element `${field}-error`. */
export function invalidField(field: string, invalid: boolean) {
  return invalid ? { 'aria-invalid': true, 'aria-describedby': `${field}-error` } : {};
}

/** A checkbox or radio button in a row that is its label, so the whole row can be clicked. */
export function Choice(props: {
  type: 'checkbox' | 'radio';
  name: string;
  value: string;
  checked?: boolean;
  children: ReactNode;
}) {
  return (
    <label className="choice">
      <input type={props.type} name={props.name} value={props.value} defaultChecked={props.checked} />{' '}
      <span>{props.children}</span>
    </label>
  );
}

interface NamedTopic {
  key: string;
  name: Record<string, string>;
  description: Record<string, string>;
}

/** One checkbox per public topic, named and described in the page language. */
export function TopicChoices(props: { topics: readonly NamedTopic[]; lang: string; checked: readonly string[] }) {
  return props.topics.map((topic) => {
    const name = topic.name[props.lang] ?? Object.values(topic.name)[0] ?? topic.key;
    const description = topic.description[props.lang] ?? '';
    return (
      <Choice
        key={topic.key}
        type="checkbox"
        name="topics"
        value={topic.key}
        checked={props.checked.includes(topic.key)}
      >
        <strong>{name}</strong>
        {description && (
          <>
            {' '}
            <span className="hint">{description}</span>
          </>
        )}
      </Choice>
    );
  });
}

/** "Bulletin not found. There is no bulletin…": a title and its text, for a reader of `lang`. */
export function InOtherLanguage(props: { lang: string; title: string; text: string }) {
  return (
    <p lang={props.lang}>
      <strong>{props.title}.</strong> {props.text}
    </p>
  );
}

/** The pieces given, " · " between each two; an absent piece (false, null) is no piece. */
export function Joined(props: { children: ReactNode }) {
  return Children.toArray(props.children).map((child, i) => (
    <Fragment key={isValidElement(child) ? child.key : i}>
      {i > 0 && ' · '}
      {child}
    </Fragment>
  ));
}

/** "a•••@example.org": enough to recognise one's own address, not to harvest it. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}•••@${domain}`;
}

/** The other page language, for a text shown in both. */
export function otherLanguage(lang: string): PageLanguage {
  return PAGE_LANGUAGES.find((other) => other !== lang)!;
}
