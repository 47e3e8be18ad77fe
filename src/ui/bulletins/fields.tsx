// The composer's controls: a text per language side by side, Markdown as rich text, and the
// server's message about each control shown beside it (matched by the control's id).
import { createContext, Fragment, useContext, type ReactNode } from 'react';
import { textDirection } from '../../render/strings';
import type { Issue } from '../api';
import { Field, languageName } from '../components';
import { fieldId, type Localised } from './model';
import { RichTextField } from './RichTextField';

interface ComposerFields {
  languages: string[];
  /** The issues of the last refused save. */
  issues: Issue[];
}

export const ComposerFieldsContext = createContext<ComposerFields>({ languages: [], issues: [] });

/**
 * The server's messages about the control `id` and the values inside it ("block-4-hashtags" gets
 * "blocks[4].hashtags[1]").
 */
function useIssue(id: string): string | undefined {
  const { issues } = useContext(ComposerFieldsContext);
  const messages = issues.filter((issue) => {
    const target = fieldId(issue.path);
    return target === id || target.startsWith(`${id}-`);
  });
  return messages.length ? messages.map((issue) => issue.message).join('; ') : undefined;
}

/**
 * "Heading ES" on screen, "Heading (Spanish)" as the label's text and accessible name: the tag
 * is drawn by CSS from data-lang, so it is in neither.
 */
function LanguageLabel({ label, language }: { label: string; language: string }) {
  return (
    <>
      {label} <span className="lang-tag" data-lang={language.toUpperCase()} aria-hidden="true" />
      <span className="visually-hidden">({languageName(language)})</span>
    </>
  );
}

interface TextProps {
  id: string;
  label: ReactNode;
  value: string;
  onChange(value: string, id: string): void;
  hint?: ReactNode;
  type?: 'text' | 'url' | 'email' | 'number';
  placeholder?: string;
  lang?: string;
}

export function TextInput({ id, label, value, onChange, hint, type = 'text', placeholder, lang }: TextProps) {
  const error = useIssue(id);
  return (
    <Field label={label} hint={hint} error={error}>
      <input
        id={id}
        type={type}
        value={value}
        lang={lang}
        dir={direction(type, lang)}
        placeholder={placeholder}
        inputMode={type === 'url' ? 'url' : undefined}
        onChange={(event) => onChange(event.target.value, id)}
      />
    </Field>
  );
}

/** An address reads left to right in every language; a text in its language's direction. */
function direction(type: TextProps['type'], lang: string | undefined): 'ltr' | 'rtl' | undefined {
  if (type === 'url' || type === 'email') return 'ltr';
  return lang ? textDirection(lang) : undefined;
}

/** One text in each of the bulletin's languages, side by side; ids end in the language ("block-2-heading-es"). */
export function LocalisedInput({
  id,
  label,
  value,
  onChange,
  markdown = false,
  hint,
}: {
  id: string;
  label: string;
  value: Localised | undefined;
  onChange(value: Localised, id: string): void;
  markdown?: boolean;
  hint?: ReactNode;
}) {
  const { languages } = useContext(ComposerFieldsContext);
  const set = (language: string) => (text: string, controlId: string) =>
    onChange({ ...value, [language]: text }, controlId);
  return (
    <div className="langs">
      {languages.map((language) => {
        const props = {
          id: `${id}-${language}`,
          label: <LanguageLabel label={label} language={language} />,
          value: value?.[language] ?? '',
          onChange: set(language),
          lang: language,
          hint,
        };
        return markdown ? (
          <MarkdownInput key={language} name={`${label} (${languageName(language)})`} {...props} />
        ) : (
          <TextInput key={language} {...props} />
        );
      })}
    </div>
  );
}

/** A Markdown body, edited as rich text; `name` is the label as text. */
function MarkdownInput({ id, name, label, value, onChange, hint, lang }: TextProps & { name: string; lang: string }) {
  const error = useIssue(id);
  return (
    <RichTextField
      id={id}
      name={name}
      label={label}
      value={value}
      onChange={onChange}
      hint={hint}
      error={error}
      lang={lang}
    />
  );
}

/** What SharedOrPerLanguage asks of the control it shows for each value. */
export interface ValueControl<T> {
  id: string;
  label: ReactNode;
  value: T;
  onChange(value: T, id: string): void;
  hint?: ReactNode;
  lang?: string;
  placeholder?: string;
}

/**
 * A value the languages share until staff give each language its own: a link's address, an
 * image, hashtags. One control ("Same address for every language"), or one per language side by
 * side as texts are, each in its language's direction, ids ending in the language like theirs
 * ("block-2-button-href-es"). A language left empty gets the fallback (first) language's.
 */
export function SharedOrPerLanguage<T>({
  id,
  label,
  noun,
  value,
  empty,
  isShared,
  shown,
  hint,
  onChange,
  control,
}: {
  id: string;
  label: string;
  /** What the value is, in the toggle's words: "address", "image", "hashtags". */
  noun: string;
  value: T | Record<string, T> | undefined;
  empty: T;
  isShared(value: T | Record<string, T>): value is T;
  /** The value as words, shown greyed in a language's empty control: what its readers get. */
  shown(value: T): string;
  hint?: ReactNode;
  onChange(value: T | Record<string, T>, id: string): void;
  control(props: ValueControl<T>): ReactNode;
}) {
  const { languages } = useContext(ComposerFieldsContext);
  const fallback = languages[0] ?? '';
  const filled = (v: T | undefined): v is T => v !== undefined && shown(v) !== '';
  if (value === undefined || isShared(value)) {
    const shared = value ?? empty;
    const own = () => onChange(Object.fromEntries(languages.map((l) => [l, l === fallback ? shared : empty])), id);
    return (
      <div className="shared-value">
        {control({
          id,
          label,
          value: shared,
          onChange,
          hint:
            languages.length > 1 ? (
              <>
                {hint && <>{hint}. </>}Same {noun} for every language.
              </>
            ) : (
              hint
            ),
        })}
        {languages.length > 1 && (
          <button
            type="button"
            className="button-quiet button-small"
            aria-label={`${label}: give each language its own ${noun}`}
            onClick={own}
          >
            Give each language its own {noun}
          </button>
        )}
      </div>
    );
  }
  const fallbackValue = value[fallback];
  const same = () => onChange([value[fallback], ...Object.values(value)].find(filled) ?? empty, id);
  return (
    <div className="shared-value">
      <div className="langs">
        {languages.map((language) => (
          <Fragment key={language}>
            {control({
              id: `${id}-${language}`,
              label: <LanguageLabel label={label} language={language} />,
              value: value[language] ?? empty,
              lang: language,
              onChange: (v, controlId) => onChange({ ...value, [language]: v }, controlId),
              // A language left empty shows what its readers get instead, greyed, and says so.
              ...(language !== fallback && filled(fallbackValue)
                ? {
                    placeholder: shown(fallbackValue),
                    hint: filled(value[language]) ? hint : `Left empty: the ${languageName(fallback)} ${noun}`,
                  }
                : { hint }),
            })}
          </Fragment>
        ))}
      </div>
      <button
        type="button"
        className="button-quiet button-small"
        aria-label={`${label}: same ${noun} for every language`}
        onClick={same}
      >
        Same {noun} for every language
      </button>
    </div>
  );
}
