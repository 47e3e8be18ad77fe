// The composer's controls: a text per language side by side, Markdown as rich text, and the
// server's message about each control shown beside it (matched by the control's id).
import { createContext, useContext, type ReactNode } from 'react';
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
        dir={lang ? textDirection(lang) : undefined}
        placeholder={placeholder}
        inputMode={type === 'url' ? 'url' : undefined}
        onChange={(event) => onChange(event.target.value, id)}
      />
    </Field>
  );
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
