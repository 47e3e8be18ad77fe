// A secret the server shows once (an API token, a webhook's signing secret): selected for copying,
// with a Copy button that says whether the browser let it copy.
import { type ReactNode, useRef, useState } from 'react';
import { Field } from '../components';

export function SecretShownOnce({
  title,
  label,
  secret,
  children,
  onDone,
}: {
  title: string;
  /** The field's label, e.g. "New API token". */
  label: string;
  secret: string;
  /** Why it is shown once and where to keep it. */
  children: ReactNode;
  onDone(): void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<boolean>();
  const copy = async () => {
    input.current?.select();
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      // The clipboard needs a secure context and permission; the text is selected for Ctrl+C.
      setCopied(false);
    }
  };
  return (
    <section className="notice notice-warning admin-new-token" aria-labelledby="secret-shown-once">
      <h2 id="secret-shown-once">{title}</h2>
      {children}
      <div className="admin-token-row">
        <Field label={label}>
          <input ref={input} readOnly value={secret} spellCheck={false} onFocus={(e) => e.target.select()} />
        </Field>
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <p role="status" className="admin-copied">
        {copied === true && 'Copied to the clipboard.'}
        {copied === false && 'The browser did not allow copying: it is selected, press Ctrl+C (⌘C on a Mac).'}
      </p>
      <button type="button" onClick={onDone}>
        I have copied it
      </button>
    </section>
  );
}
