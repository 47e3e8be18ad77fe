// Someone else saved the bulletin while this draft was being written, and changed fields this
// draft changed too: each such field with both values, one to choose. The rest is merged already;
// the draft stays as typed until the choice is made.
import { useId, useState } from 'react';
import type { MergeChoice, MergeConflict } from '../../bulletins/merge';
import { Dialog } from '../components';
import { blockSummary, type Block } from './model';
import type { SaveConflict } from './useDraft';
import { authorName } from './version-sessions';
import { describeRule } from '../../audience/rule-sentence';
import type { Rule } from '../../audience/rules';

const timeFormat = new Intl.DateTimeFormat('en', { timeStyle: 'short' });

/** The notice above the composer while a choice waits, and the dialog that asks for it. */
export function SaveConflicts({
  conflict,
  language,
  onResolve,
}: {
  conflict: SaveConflict | undefined;
  /** The language a whole block is summarised in. */
  language: string;
  onResolve(choices: Record<string, MergeChoice>): void;
}) {
  // Opens with each new conflict; closing it leaves the notice, which opens it again.
  const [closed, setClosed] = useState<SaveConflict>();
  if (!conflict) return null;
  const { theirs, merge } = conflict;
  const who = authorName(theirs.savedBy);
  const fields = merge.conflicts.length === 1 ? 'one field' : `${merge.conflicts.length} fields`;
  return (
    <>
      <div className="notice notice-error save-conflict" role="alert">
        <strong>Not saved yet.</strong> {who} saved this bulletin at {timeFormat.format(new Date(theirs.createdAt))} and
        changed {fields} you changed too. Your changes are kept on this page until you choose.{' '}
        <button type="button" className="button-small" onClick={() => setClosed(undefined)}>
          Choose…
        </button>
      </div>
      <Dialog open={closed !== conflict} title="Choose what to keep" onClose={() => setClosed(conflict)}>
        <Choices conflict={conflict} who={who} language={language} onResolve={onResolve} />
      </Dialog>
    </>
  );
}

function Choices({
  conflict: { theirs, merge },
  who,
  language,
  onResolve,
}: {
  conflict: SaveConflict;
  who: string;
  language: string;
  onResolve(choices: Record<string, MergeChoice>): void;
}) {
  const [choices, setChoices] = useState<Record<string, MergeChoice>>({});
  const left = merge.conflicts.filter((c) => !choices[c.id]).length;
  const hintId = useId();
  const theirsLabel = `Saved by ${who} at ${timeFormat.format(new Date(theirs.createdAt))}`;
  return (
    <form
      className="save-conflict-choices"
      onSubmit={(event) => {
        event.preventDefault();
        if (left === 0) onResolve(choices);
      }}
    >
      <p>
        {who} saved version {theirs.version} while you were writing. What only one of you changed is merged already;
        these fields you both changed. Choose the value to keep for each, then save.
      </p>
      {merge.conflicts.map((c) => (
        <fieldset key={c.id}>
          <legend>{c.label}</legend>
          <Option conflict={c} side="mine" label="Yours" language={language} choices={choices} onChoose={setChoices} />
          <Option
            conflict={c}
            side="theirs"
            label={theirsLabel}
            language={language}
            choices={choices}
            onChoose={setChoices}
          />
        </fieldset>
      ))}
      <div className="dialog-actions">
        <p className="muted" id={hintId}>
          {left > 0 ? `${left} still to choose.` : 'Saves as the newest version, on top of theirs.'}
        </p>
        <button type="submit" className="button-primary" aria-disabled={left > 0} aria-describedby={hintId}>
          Save these choices
        </button>
      </div>
    </form>
  );
}

function Option({
  conflict,
  side,
  label,
  language,
  choices,
  onChoose,
}: {
  conflict: MergeConflict;
  side: MergeChoice;
  label: string;
  language: string;
  choices: Record<string, MergeChoice>;
  onChoose(update: (choices: Record<string, MergeChoice>) => Record<string, MergeChoice>): void;
}) {
  const id = useId();
  return (
    <div className="conflict-option">
      <input
        type="radio"
        id={id}
        name={conflict.id}
        checked={choices[conflict.id] === side}
        onChange={() => onChoose((current) => ({ ...current, [conflict.id]: side }))}
      />
      <label htmlFor={id}>
        <strong>{label}</strong>
        <span className="conflict-value">
          {/audience$/.test(conflict.id) ? audienceShown(conflict[side]) : shown(conflict[side], language)}
        </span>
      </label>
    </div>
  );
}

/** A block's audience in words, as its badge says it; none is everyone. */
function audienceShown(value: unknown): string {
  return `Shown to ${value === undefined ? 'everyone' : describeRule(value as Rule)}`;
}

/** A value as staff recognise it: the text itself, a list, a block's summary; what is missing, in words. */
function shown(value: unknown, language: string): string {
  if (value === undefined) return '(removed)';
  if (typeof value === 'string') return value.trim() ? value : '(empty)';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '(empty)';
  if (value !== null && typeof value === 'object' && 'type' in value) return blockSummary(value as Block, language);
  return JSON.stringify(value);
}
