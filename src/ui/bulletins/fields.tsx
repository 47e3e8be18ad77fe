// The composer's controls: a text per language side by side, Markdown with a toolbar, and the
// server's message about each control shown beside it (matched by the control's id).
import { createContext, useContext, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { Issue } from '../api';
import { Field, languageName } from '../components';
import { fieldId, type Localised } from './model';

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
        dir={lang ? 'auto' : undefined}
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

type Format = 'bold' | 'italic' | 'link' | 'list';

const TOOLS: { format: Format; label: string; icon?: string; key?: string }[] = [
  { format: 'bold', label: 'Bold', icon: 'B', key: 'b' },
  { format: 'italic', label: 'Italic', icon: 'I', key: 'i' },
  { format: 'link', label: 'Link', key: 'k' },
  { format: 'list', label: 'List' },
];

/**
 * A Markdown body: a textarea with a toolbar (and Ctrl+B, Ctrl+I, Ctrl+K) acting on the selection;
 * `name` is the label as text.
 */
function MarkdownInput({ id, name, label, value, onChange, hint, lang }: TextProps & { name: string }) {
  const error = useIssue(id);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;

  const apply = (format: Format) => {
    const element = textarea.current;
    if (!element) return;
    const edit = formatSelection(element.value, element.selectionStart, element.selectionEnd, format);
    element.focus();
    element.setSelectionRange(edit.from, edit.to);
    // insertText keeps the textarea's own undo (Ctrl+Z) working; setRangeText is the fallback.
    if (!document.execCommand('insertText', false, edit.text)) {
      element.setRangeText(edit.text, edit.from, edit.to, 'end');
      onChange(element.value, id);
    }
    element.setSelectionRange(edit.from + edit.select[0], edit.from + edit.select[1]);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    const tool = TOOLS.find((t) => t.key === event.key.toLowerCase());
    if (!tool) return;
    event.preventDefault();
    apply(tool.format);
  };

  return (
    <div className={`field field-markdown ${error ? 'field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <Toolbar name={`Formatting ${name}`} onFormat={apply} />
      <textarea
        id={id}
        ref={textarea}
        value={value}
        lang={lang}
        dir="auto"
        rows={5}
        aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
        aria-invalid={error ? true : undefined}
        onChange={(event) => onChange(event.target.value, id)}
        onKeyDown={onKeyDown}
      />
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

/** One tab stop; the arrow keys move between the buttons. */
function Toolbar({ name, onFormat }: { name: string; onFormat(format: Format): void }) {
  const [active, setActive] = useState(0);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const onKeyDown = (event: KeyboardEvent) => {
    const moves: Record<string, number> = {
      ArrowRight: active + 1,
      ArrowLeft: active - 1,
      Home: 0,
      End: TOOLS.length - 1,
    };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const next = (moves[event.key]! + TOOLS.length) % TOOLS.length;
    setActive(next);
    buttons.current[next]?.focus();
  };
  return (
    <div className="md-toolbar" role="toolbar" aria-label={name} onKeyDown={onKeyDown}>
      {TOOLS.map((tool, i) => (
        <button
          key={tool.format}
          ref={(el) => {
            buttons.current[i] = el;
          }}
          type="button"
          className={`button-quiet button-small md-${tool.format}`}
          tabIndex={i === active ? 0 : -1}
          title={tool.key ? `${tool.label} (Ctrl+${tool.key.toUpperCase()})` : tool.label}
          aria-label={tool.icon && tool.label}
          onFocus={() => setActive(i)}
          // Keep the textarea's selection: a mouse press would move focus before the click.
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => onFormat(tool.format)}
        >
          {tool.icon ? <span aria-hidden="true">{tool.icon}</span> : tool.label}
        </button>
      ))}
    </div>
  );
}

/** The replacement for the selected range, and what to select in it afterwards. */
function formatSelection(
  value: string,
  start: number,
  end: number,
  format: Format,
): { from: number; to: number; text: string; select: [number, number] } {
  const selected = value.slice(start, end);
  const wrap = (mark: string, placeholder: string) => {
    const inner = selected || placeholder;
    return {
      from: start,
      to: end,
      text: `${mark}${inner}${mark}`,
      select: [mark.length, mark.length + inner.length] as [number, number],
    };
  };
  switch (format) {
    case 'bold':
      return wrap('**', 'bold text');
    case 'italic':
      return wrap('_', 'italic text');
    case 'link': {
      const text = `[${selected || 'link text'}](https://)`;
      // Select the address, the part to type next.
      return { from: start, to: end, text, select: [text.length - 'https://)'.length, text.length - 1] };
    }
    case 'list': {
      const from = value.lastIndexOf('\n', start - 1) + 1;
      const lineEnd = value.indexOf('\n', end);
      const to = lineEnd === -1 ? value.length : lineEnd;
      const lines = value.slice(from, to).split('\n');
      const listed = lines.every((line) => line.startsWith('- '));
      const text = lines.map((line) => (listed ? line.slice(2) : `- ${line}`)).join('\n');
      return { from, to, text, select: [0, text.length] };
    }
  }
}
