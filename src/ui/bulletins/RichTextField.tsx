// A Markdown body edited as rich text: bold, italic, links and lists from a toolbar or the keyboard,
// written back as the same Markdown subset the server renders (markdown-doc.ts).
import { Extension, Mark } from '@tiptap/core';
import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { textDirection } from '../../render/strings';
import { FieldNotes } from '../components';
import { LinkDialog } from './LinkDialog';
import { docToMarkdown, markdownToDoc, RAW_MARK } from './markdown-doc';
import { cleanPastedHtml } from './pasted-html';

/** Markdown the editor has no control for, shown as typed in a code face and written back unchanged. */
const RawMarkdown = Mark.create({
  name: RAW_MARK,
  inclusive: false,
  // Never made from pasted HTML: only read from the stored Markdown.
  parseHTML: () => [],
  renderHTML: () => ['code', { class: 'rich-text-raw', title: 'Markdown kept as typed' }, 0],
});

/** Whether a list was written with blank lines between its items, kept so the mail does not change. */
const LooseLists = Extension.create({
  name: 'looseLists',
  addGlobalAttributes: () => [
    { types: ['bulletList', 'orderedList'], attributes: { loose: { default: false, rendered: false } } },
  ],
});

/** The subset the mail renders (docs/bulletins.md): no headings, quotes, code, rules, strikethrough or underline. */
const EXTENSIONS = [
  StarterKit.configure({
    heading: false,
    blockquote: false,
    code: false,
    codeBlock: false,
    horizontalRule: false,
    strike: false,
    underline: false,
    trailingNode: false,
    link: {
      openOnClick: false,
      autolink: true,
      defaultProtocol: 'https',
      // Pasted links: what the mail keeps (src/render/markdown.ts); the dialog itself asks for https or mailto.
      isAllowedUri: (url, { defaultValidate }) => defaultValidate(url) && /^(https?:|mailto:|\{\{)/i.test(url),
    },
  }),
  RawMarkdown,
  LooseLists,
];

type Tool = 'bold' | 'italic' | 'link' | 'bulletList' | 'orderedList';

const TOOLS: { tool: Tool; label: string; icon: string; keys?: string }[] = [
  { tool: 'bold', label: 'Bold', icon: 'B', keys: 'Ctrl+B' },
  { tool: 'italic', label: 'Italic', icon: 'I', keys: 'Ctrl+I' },
  { tool: 'link', label: 'Link', icon: 'Link', keys: 'Ctrl+K' },
  { tool: 'bulletList', label: 'Bulleted list', icon: '•', keys: 'Ctrl+Shift+8' },
  { tool: 'orderedList', label: 'Numbered list', icon: '1.', keys: 'Ctrl+Shift+7' },
];

export interface RichTextFieldProps {
  id: string;
  label: ReactNode;
  /** The label as text, to name the toolbar. */
  name: string;
  value: string;
  onChange(value: string, id: string): void;
  lang: string;
  hint?: ReactNode;
  error?: string;
}

export function RichTextField({ id, label, name, value, onChange, lang, hint, error }: RichTextFieldProps) {
  const labelId = `${id}-label`;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const [linking, setLinking] = useState(false);
  // The Markdown last read or written, to tell an outside change (undo, a restored version) from our own.
  const written = useRef(value);
  // The editor keeps its first onUpdate: it calls the latest props through this.
  const change = useRef<(markdown: string) => void>(undefined);
  change.current = (markdown) => onChange(markdown, id);

  const [content] = useState(() => markdownToDoc(value));
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');
  // useEditor hands the editor new options when these change (the same object is no change).
  const editorProps = useMemo(
    () => ({
      transformPastedHTML: cleanPastedHtml,
      attributes: {
        id,
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-labelledby': labelId,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(error ? { 'aria-invalid': 'true' } : {}),
        lang,
        dir: textDirection(lang),
        class: 'rich-text-area',
      },
    }),
    [id, labelId, describedBy, error, lang],
  );

  const editor = useEditor({
    extensions: EXTENSIONS,
    content,
    shouldRerenderOnTransaction: false,
    editorProps,
    onUpdate: ({ editor }) => {
      const markdown = docToMarkdown(editor.getJSON());
      if (markdown === written.current) return;
      written.current = markdown;
      change.current?.(markdown);
    },
  });

  useEffect(() => {
    if (value === written.current) return;
    written.current = value;
    editor.commands.setContent(markdownToDoc(value), { emitUpdate: false });
  }, [editor, value]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey || event.key.toLowerCase() !== 'k') return;
    event.preventDefault();
    setLinking(true);
  };

  return (
    <div className={`field field-markdown ${error ? 'field-invalid' : ''}`}>
      {/* biome-ignore lint/a11y/noLabelWithoutControl: it names the editable area, by aria-labelledby */}
      <label id={labelId}>{label}</label>
      <Toolbar name={`Formatting ${name}`} editor={editor} onLink={() => setLinking(true)} />
      {/* biome-ignore lint/a11y/noStaticElementInteractions: Ctrl+K on the editable area inside */}
      <div className="rich-text" onKeyDown={onKeyDown}>
        <EditorContent editor={editor} />
      </div>
      <FieldNotes hint={hint} hintId={hintId} error={error} errorId={errorId} />
      <LinkDialog
        open={linking}
        editor={editor}
        lang={lang}
        onClose={() => {
          setLinking(false);
          editor.commands.focus();
        }}
      />
    </div>
  );
}

/** One tab stop; the arrow keys move between the buttons, which say whether the selection has their format. */
function Toolbar({ name, editor, onLink }: { name: string; editor: Editor; onLink(): void }) {
  const [active, setActive] = useState(0);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const pressed = useEditorState({
    editor,
    selector: ({ editor }) =>
      Object.fromEntries(TOOLS.map(({ tool }) => [tool, editor.isActive(tool)])) as Record<Tool, boolean>,
  });
  const apply = (tool: Tool) => {
    const chain = editor.chain().focus();
    switch (tool) {
      case 'bold':
        return chain.toggleBold().run();
      case 'italic':
        return chain.toggleItalic().run();
      case 'bulletList':
        return chain.toggleBulletList().run();
      case 'orderedList':
        return chain.toggleOrderedList().run();
      case 'link':
        return onLink();
    }
  };
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
      {TOOLS.map(({ tool, label, icon, keys }, i) => (
        <button
          key={tool}
          ref={(el) => {
            buttons.current[i] = el;
          }}
          type="button"
          className={`button-quiet button-small md-${tool}`}
          tabIndex={i === active ? 0 : -1}
          title={keys ? `${label} (${keys})` : label}
          aria-pressed={pressed?.[tool] ?? false}
          onFocus={() => setActive(i)}
          // Keep the editor's selection: a mouse press would move focus before the click.
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => apply(tool)}
        >
          {/* The name in words, not the icon: "1." is no name for a numbered list. */}
          <span aria-hidden="true">{icon}</span>
          <span className="visually-hidden">{label}</span>
        </button>
      ))}
    </div>
  );
}
