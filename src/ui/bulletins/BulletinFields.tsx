// What the bulletin has besides its blocks: title, languages, topic, subject, preheader and issue line.
import { useId, useState } from 'react';
import type { Topic } from '../../audience/schemas';
import { Dialog, Field, languageName, useOrganisationLanguages } from '../components';
import { useApi } from '../hooks';
import { topicName } from '../subscribers/fields';
import { LocalisedInput, TextInput } from './fields';
import { fieldId, FIELD_LABELS, optionalText, withoutLanguage, type BulletinDocument } from './model';

export function BulletinFields({
  document,
  onEdit,
}: {
  document: BulletinDocument;
  onEdit(change: (document: BulletinDocument) => BulletinDocument, label: string, field?: string): void;
}) {
  const headingId = useId();
  return (
    <section className="card bulletin-fields" aria-labelledby={headingId}>
      <h2 id={headingId}>Bulletin</h2>
      <div className="grid-title">
        <TextInput
          id={fieldId('title')}
          label={FIELD_LABELS.title!}
          hint="For staff only; readers see the subject"
          value={document.title}
          onChange={(title, field) => onEdit((d) => ({ ...d, title }), 'Edit the title', field)}
        />
        <TopicSelect
          value={document.topic}
          onChange={(topic) => onEdit((d) => ({ ...d, topic }), 'Change the topic')}
        />
      </div>
      <Languages document={document} onEdit={onEdit} />
      <LocalisedInput
        id={fieldId('subject')}
        label={FIELD_LABELS.subject!}
        value={document.subject}
        onChange={(subject, field) => onEdit((d) => ({ ...d, subject }), 'Edit the subject', field)}
      />
      <LocalisedInput
        id={fieldId('preheader')}
        label={FIELD_LABELS.preheader!}
        hint="Optional: the line inboxes show after the subject"
        value={document.preheader}
        onChange={(preheader, field) =>
          onEdit((d) => ({ ...d, preheader: optionalText(preheader) }), 'Edit the preheader', field)
        }
      />
      <LocalisedInput
        id={fieldId('issueLine')}
        label={FIELD_LABELS.issueLine!}
        hint="Optional: a date or issue number under the organisation's name, such as “Issue 12 · 4 December 2026”"
        value={document.issueLine}
        onChange={(issueLine, field) =>
          onEdit((d) => ({ ...d, issueLine: optionalText(issueLine) }), 'Edit the issue line', field)
        }
      />
    </section>
  );
}

function TopicSelect({ value, onChange }: { value: string | undefined; onChange(topic: string | undefined): void }) {
  const topics = useApi<{ data: Topic[] }>('/api/topics');
  const known = topics.data?.data ?? [];
  return (
    <Field
      label={FIELD_LABELS.topic}
      hint={topics.error ? 'The topics could not be loaded.' : 'Who it is for: subscribers of this topic'}
    >
      <select id={fieldId('topic')} value={value ?? ''} onChange={(event) => onChange(event.target.value || undefined)}>
        <option value="">No topic (general news)</option>
        {/* A topic that no longer exists stays selectable, so the choice is visible (the checks flag it). */}
        {value && !known.some((t) => t.key === value) && <option value={value}>{value}</option>}
        {known.map((topic) => (
          <option key={topic.key} value={topic.key}>
            {topicName(topic)}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** The bulletin's languages: the first is the fallback, whose text readers of a missing translation get. */
function Languages({
  document,
  onEdit,
}: {
  document: BulletinDocument;
  onEdit(change: (document: BulletinDocument) => BulletinDocument, label: string): void;
}) {
  const [removing, setRemoving] = useState<string>();
  const [adding, setAdding] = useState('');
  const headingId = useId();
  const { languages } = document;
  // The organisation's languages (Settings): another language is added there first.
  const addable = useOrganisationLanguages().filter((code) => !languages.includes(code));
  const fallback = languages[0]!;

  const add = () => {
    if (!adding) return;
    onEdit((d) => ({ ...d, languages: [...d.languages, adding] }), `Add ${languageName(adding)}`);
    setAdding('');
  };

  return (
    // biome-ignore lint/a11y/useSemanticElements: a group the checks focus by id; a fieldset needs its legend first
    <div className="languages" role="group" aria-labelledby={headingId} id={fieldId('languages')} tabIndex={-1}>
      <span className="languages-label" id={headingId}>
        Languages
      </span>
      <ul>
        {languages.map((language) => (
          <li key={language} className="language-chip">
            <span>
              {languageName(language)}
              {language === fallback && <span className="muted"> (fallback)</span>}
            </span>
            {language !== fallback && (
              <button
                type="button"
                className="button-quiet button-small"
                onClick={() =>
                  onEdit(
                    (d) => ({ ...d, languages: [language, ...d.languages.filter((l) => l !== language)] }),
                    `Make ${languageName(language)} the fallback`,
                  )
                }
              >
                Make {languageName(language)} the fallback
              </button>
            )}
            {languages.length > 1 && (
              <button
                type="button"
                className="button-quiet button-small button-danger"
                onClick={() => setRemoving(language)}
              >
                Remove {languageName(language)}
              </button>
            )}
          </li>
        ))}
      </ul>
      {addable.length > 0 && (
        <span className="language-add">
          <label htmlFor={`${headingId}-add`} className="visually-hidden">
            Language to add
          </label>
          <select id={`${headingId}-add`} value={adding} onChange={(event) => setAdding(event.target.value)}>
            <option value="">Add a language…</option>
            {addable.map((code) => (
              <option key={code} value={code}>
                {languageName(code)}
              </option>
            ))}
          </select>
          <button type="button" className="button-small" onClick={add} disabled={!adding}>
            Add language
          </button>
        </span>
      )}
      <Dialog
        open={removing !== undefined}
        title={`Remove ${languageName(removing ?? '')}?`}
        onClose={() => setRemoving(undefined)}
      >
        <p>
          The bulletin will no longer be written in {languageName(removing ?? '')}: its subject, every text and every
          address of its own in {languageName(removing ?? '')} are removed with it. {languageName(removing ?? '')}{' '}
          readers get the {languageName(removing === fallback ? (languages[1] ?? '') : fallback)} text. Undo brings them
          back.
        </p>
        <div className="dialog-actions">
          <button type="button" onClick={() => setRemoving(undefined)}>
            Cancel
          </button>
          <button
            type="button"
            className="button-primary"
            onClick={() => {
              onEdit((d) => withoutLanguage(d, removing!), `Remove ${languageName(removing!)}`);
              setRemoving(undefined);
            }}
          >
            Remove {languageName(removing ?? '')}
          </button>
        </div>
      </Dialog>
    </div>
  );
}
