// A subscriber's attributes as rows of key, type and value, each input named by its row
// ("Attribute 2 key") for screen readers, with the form's and the server's messages on the row.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import {
  ATTRIBUTE_TYPES,
  type AttributeRow,
  type AttributeType,
  newRow,
  type RowField,
  type RowProblem,
  retype,
} from './attribute-rows';

const TYPE_LABELS: Record<AttributeType, string> = { text: 'Text', number: 'Number', date: 'Date' };

/** The id of a row's input, so the form can move focus to the first one that needs fixing. */
export const attributeInputId = (base: string, row: AttributeRow, field: RowField) => `${base}-${row.id}-${field}`;

export function AttributeRowsField({
  base,
  rows,
  onChange,
  problems,
  serverMessages,
  error,
}: {
  /** Prefix of the inputs' ids (from useId in the form). */
  base: string;
  rows: AttributeRow[];
  onChange(rows: AttributeRow[]): void;
  /** The form's own checks, shown once someone has tried to save. */
  problems: RowProblem[];
  /** The server's refusals, by row. */
  serverMessages: Map<number, string[]>;
  /** About the attributes as a whole. */
  error?: string;
}) {
  const hintId = useId();
  const addRef = useRef<HTMLButtonElement>(null);
  // Where focus goes once the rows have re-rendered: a new row's key, or what follows a removed row.
  const focusNext = useRef<string | null>(null);
  useEffect(() => {
    if (focusNext.current === null) return;
    const target = focusNext.current ? document.getElementById(focusNext.current) : addRef.current;
    focusNext.current = null;
    target?.focus();
  });

  const replace = (index: number, row: AttributeRow) => onChange(rows.map((r, i) => (i === index ? row : r)));
  const add = () => {
    const row = newRow(rows);
    focusNext.current = attributeInputId(base, row, 'key');
    onChange([...rows, row]);
  };
  const remove = (index: number) => {
    const next = rows[index + 1] ?? rows[index - 1];
    focusNext.current = next ? attributeInputId(base, next, 'key') : '';
    onChange(rows.filter((_, i) => i !== index));
  };

  return (
    <fieldset className={`attribute-rows ${error ? 'field-invalid' : ''}`} aria-describedby={hintId}>
      <legend>Attributes</legend>
      <p className="field-hint" id={hintId}>
        Rules and personalisation read these. A date is kept as <code>YYYY-MM-DD</code>, which rules compare by day.
      </p>
      {rows.length === 0 ? (
        <p className="muted">No attributes.</p>
      ) : (
        <div className="attribute-columns" aria-hidden="true">
          <span>Key</span>
          <span>Type</span>
          <span>Value</span>
        </div>
      )}
      {rows.map((row, index) => {
        const name = `Attribute ${index + 1}`;
        const messages = (field: RowField) =>
          problems.filter((p) => p.row === index && p.field === field).map((p) => `${name} ${field}: ${p.message}`);
        const server = (serverMessages.get(index) ?? []).map((m) => `${name}: ${m}`);
        const keyMessages = [...messages('key'), ...server];
        const valueMessages = messages('value');
        const ids = { key: attributeInputId(base, row, 'key'), value: attributeInputId(base, row, 'value') };
        const invalid = (list: string[]) =>
          list.length ? { 'aria-invalid': true, 'aria-describedby': `${ids.key}-messages` } : {};
        return (
          <fieldset key={row.id} className="attribute-row">
            <legend className="visually-hidden">{name}</legend>
            {row.type === 'kept' ? (
              <>
                <input id={ids.key} aria-label={`${name} key`} value={row.key} readOnly {...invalid(keyMessages)} />
                <span className="attribute-kept-type">Other</span>
                <KeptValue value={row.value} />
              </>
            ) : (
              <>
                <input
                  id={ids.key}
                  aria-label={`${name} key`}
                  value={row.key}
                  onChange={(e) => replace(index, { ...row, key: e.target.value })}
                  {...invalid(keyMessages)}
                />
                <select
                  aria-label={`${name} type`}
                  value={row.type}
                  onChange={(e) => replace(index, retype(row, e.target.value as AttributeType))}
                >
                  {ATTRIBUTE_TYPES.map((type) => (
                    <option key={type} value={type}>
                      {TYPE_LABELS[type]}
                    </option>
                  ))}
                </select>
                <input
                  id={ids.value}
                  aria-label={`${name} value`}
                  // The types are the inputs' own: text, number, date.
                  type={row.type}
                  // Any number, not only whole ones: the browser would refuse 2.5 with its default step.
                  step={row.type === 'number' ? 'any' : undefined}
                  value={row.value}
                  onChange={(e) => replace(index, { ...row, value: e.target.value })}
                  {...invalid(valueMessages)}
                />
              </>
            )}
            <button type="button" className="button-quiet button-small" onClick={() => remove(index)}>
              Remove<span className="visually-hidden"> attribute {index + 1}</span>
            </button>
            <RowMessages id={`${ids.key}-messages`} messages={[...keyMessages, ...valueMessages]} />
          </fieldset>
        );
      })}
      {error && <p className="field-error">{error}</p>}
      <button type="button" ref={addRef} className="button-small" onClick={add}>
        Add attribute
      </button>
    </fieldset>
  );
}

/** A value the rows cannot edit, shown as JSON with why it is kept. */
function KeptValue({ value }: { value: unknown }) {
  return (
    <span className="attribute-kept">
      <code>{JSON.stringify(value)}</code>
      <span className="muted">Kept as it is: only the API or an import changes a value of this kind.</span>
    </span>
  );
}

function RowMessages({ id, messages }: { id: string; messages: string[] }): ReactNode {
  if (!messages.length) return null;
  return (
    <p className="field-error attribute-row-error" id={id}>
      {messages.join('. ')}
    </p>
  );
}
