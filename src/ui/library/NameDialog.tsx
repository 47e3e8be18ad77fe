// Asks for the name something has in the library: to save a block or a bulletin there, or to rename
// what is saved.
import { useState } from 'react';
import { Dialog, ErrorNotice, Field } from '../components';
import { submitTo, useAction } from '../hooks';

interface NameDialogProps {
  open: boolean;
  title: string;
  /** The name the field starts with. */
  name: string;
  hint?: string;
  confirmLabel: string;
  /** Runs with the name; an error keeps the dialog open and is shown in it. */
  onConfirm(name: string): Promise<void>;
  onClose(): void;
}

export function NameDialog({ open, title, ...form }: NameDialogProps) {
  return (
    <Dialog open={open} title={title} onClose={form.onClose}>
      {/* Rendered only while open: each opening starts from the given name and no error. */}
      <NameForm {...form} />
    </Dialog>
  );
}

function NameForm({ name: initial, hint, confirmLabel, onConfirm, onClose }: Omit<NameDialogProps, 'open' | 'title'>) {
  const [name, setName] = useState(initial);
  const confirm = useAction(() => onConfirm(name));
  return (
    <form onSubmit={submitTo(confirm)}>
      <ErrorNotice error={confirm.error} beside={['name']} />
      <Field label="Name in the library" hint={hint} error={confirm.issue('name')}>
        <input value={name} onChange={(event) => setName(event.target.value)} maxLength={200} required />
      </Field>
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="button-primary" disabled={confirm.busy}>
          {confirm.busy ? 'Saving…' : confirmLabel}
        </button>
      </div>
    </form>
  );
}
