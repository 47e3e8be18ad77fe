// The rich text editor's link dialog: an address checked as the pre-send checks would, where it
// goes said before it is applied, and the link removed from the same place.
import type { Editor } from '@tiptap/react';
import { useState, type FormEvent } from 'react';
import { textDirection } from '../../render/strings';
import { Dialog, Field } from '../components';
import { readLinkAddress } from './link-address';

export function LinkDialog({
  open,
  editor,
  lang,
  onClose,
}: {
  open: boolean;
  editor: Editor;
  /** The language of the text being edited: the words to link are in it. */
  lang: string;
  onClose(): void;
}) {
  return (
    <Dialog open={open} title={editor.isActive('link') ? 'Edit link' : 'Add link'} onClose={onClose}>
      {/* Mounted on each opening, so it starts from the selection of that moment. */}
      {open && <LinkForm editor={editor} lang={lang} onClose={onClose} />}
    </Dialog>
  );
}

function LinkForm({ editor, lang, onClose }: { editor: Editor; lang: string; onClose(): void }) {
  const current = editor.isActive('link') ? String(editor.getAttributes('link').href ?? '') : '';
  // With nothing selected and no link under the cursor, the link's words are asked for too.
  const needsText = !current && editor.state.selection.empty;
  const [href, setHref] = useState(current);
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const address = readLinkAddress(href);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if ('error' in address) return setError(address.error);
    if (needsText && !text.trim()) return setError('Enter the words to link');
    const chain = editor.chain().focus();
    if (needsText)
      chain.insertContent({ type: 'text', text, marks: [{ type: 'link', attrs: { href: address.href } }] });
    else chain.extendMarkRange('link').setLink({ href: address.href });
    chain.run();
    onClose();
  };
  const remove = () => {
    editor.chain().focus().extendMarkRange('link').unsetLink().run();
    onClose();
  };

  return (
    <form onSubmit={apply} noValidate>
      {needsText && (
        <Field label="Text">
          <input value={text} lang={lang} dir={textDirection(lang)} onChange={(event) => setText(event.target.value)} />
        </Field>
      )}
      <Field
        label="Address"
        hint={'error' in address ? 'https://… or mailto:…' : `Goes to ${address.goesTo}`}
        error={error}
      >
        <input
          type="url"
          inputMode="url"
          placeholder="https://"
          value={href}
          // biome-ignore lint/a11y/noAutofocus: the dialog opens to type the address
          autoFocus={!needsText}
          onChange={(event) => {
            setHref(event.target.value);
            setError(undefined);
          }}
        />
      </Field>
      <div className="dialog-actions">
        {current && (
          <button type="button" className="button-danger" onClick={remove}>
            Remove link
          </button>
        )}
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="button-primary">
          Apply link
        </button>
      </div>
    </form>
  );
}
