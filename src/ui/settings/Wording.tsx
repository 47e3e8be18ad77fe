// The organisation's own words ("Wording"): every text readers see outside the bulletin (the
// mail's footer, the confirmation mail, the public pages), per language, with the default shown;
// an entry left empty uses the default. The defaults come from the words catalogue (src/words).
import { useEffect, useState } from 'react';
import type { Settings } from '../../settings/settings';
import { slotsOf, type WordGroup, type Wording as OrganisationWording, wordsFor } from '../../words/catalogue';
import { api } from '../api';
import { ErrorNotice, Field, languageName, Loading, Notice, PageHeader } from '../components';
import { submitTo, useAction, useApi } from '../hooks';
import { BASE, Link, useTitle } from '../router';
import './settings.css';

/** Where readers see each group of words. */
const GROUPS: Record<WordGroup, string> = {
  footer: 'Mail footer',
  bulletin: 'In the bulletin',
  confirmation: 'Confirmation mail',
  subscribe: 'Subscribe form and confirmation pages',
  preferences: 'Preferences page',
  unsubscribe: 'Unsubscribe page',
  archive: 'Archive',
};

/** One language's overrides as the form edits them: "footer.unsubscribe" → text. */
type Draft = Record<string, string>;

export function Wording() {
  useTitle('Wording');
  const settings = useApi<Settings>('/api/settings');
  return (
    <>
      <PageHeader title="Wording" back={<Link to={`${BASE}/settings`}>← Settings</Link>} />
      <p className="admin-intro">
        The words readers see outside the bulletin, in each language: the mail's footer, the confirmation mail and the
        public pages. Write your own to replace a default; empty an entry, or reset it, to use the default again. Words
        in braces, such as <code>{'{organisation}'}</code>, are filled in for each reader.
      </p>
      <ErrorNotice error={settings.error} title="The settings could not be loaded." />
      {!settings.data && settings.loading && <Loading label="Loading the wording…" />}
      {settings.data && <WordingForm saved={settings.data} onSaved={settings.setData} />}
    </>
  );
}

function WordingForm({ saved, onSaved }: { saved: Settings; onSaved(settings: Settings): void }) {
  const [language, setLanguage] = useState(saved.defaultLanguage);
  const [draft, setDraft] = useState<Draft>({});
  const [done, setDone] = useState(false);
  const stored = flatten(saved.wording[language]);
  useEffect(() => setDraft(flatten(saved.wording[language])), [saved, language]);
  // The words a reader of this language gets without any override: its own, or the default language's.
  const defaults = wordsFor(language, { defaultLanguage: saved.defaultLanguage });
  // Beside another language's entries, the English says what each is for.
  const english = language === 'en' ? undefined : wordsFor('en', { defaultLanguage: 'en' });
  const changed = Object.keys({ ...stored, ...draft }).some((key) => (draft[key] ?? '') !== (stored[key] ?? ''));

  const edit = (key: string, text: string) => {
    setDraft((d) => ({ ...d, [key]: text }));
    setDone(false);
  };
  const save = useAction(async () => {
    const { [language]: _, ...others } = saved.wording;
    const own = unflatten(draft);
    // PUT replaces the wording as a whole: the other languages' words go back as they were.
    const wording = Object.keys(own).length ? { ...others, [language]: own } : others;
    onSaved(await api<Settings>('PUT', '/api/settings', { wording }));
    setDone(true);
  });
  // The default language first, then the organisation's languages, and any the wording has.
  const languages = [...new Set([saved.defaultLanguage, ...saved.languages, ...Object.keys(saved.wording)])];

  return (
    <form onSubmit={submitTo(save)} className="wording-form">
      <div className="field wording-language">
        <label htmlFor="wording-language">Language of the words</label>
        <select
          id="wording-language"
          value={language}
          disabled={changed}
          aria-describedby={changed ? 'wording-language-hint' : undefined}
          onChange={(e) => {
            setLanguage(e.target.value);
            setDone(false);
          }}
        >
          {languages.map((code) => (
            <option key={code} value={code}>
              {languageName(code)}
            </option>
          ))}
        </select>
        {changed && (
          <p className="field-hint" id="wording-language-hint">
            Save or discard the changes to choose another language.
          </p>
        )}
      </div>
      <ErrorNotice
        error={save.error}
        title="Not saved."
        beside={Object.keys(draft).map((key) => path(language, key))}
      />
      {done && <Notice kind="success">Wording saved.</Notice>}
      <div className="wording-groups">
        {(Object.keys(GROUPS) as WordGroup[]).map((group) => (
          <section key={group} className="card wording-group" aria-labelledby={`wording-${group}`}>
            <h2 id={`wording-${group}`}>{GROUPS[group]}</h2>
            {Object.entries(defaults[group]).map(([name, text]) => {
              const key = `${group}.${name}`;
              return (
                <Entry
                  key={key}
                  name={name}
                  fallback={text}
                  english={(english?.[group] as Record<string, string> | undefined)?.[name]}
                  value={draft[key] ?? ''}
                  error={save.issue(path(language, key))}
                  onChange={(value) => edit(key, value)}
                />
              );
            })}
          </section>
        ))}
      </div>
      <div className="settings-actions wording-actions">
        <button type="submit" className="button-primary" disabled={save.busy || !changed}>
          {save.busy ? 'Saving…' : `Save the ${languageName(language)} wording`}
        </button>
        {changed && (
          <button
            type="button"
            className="button-quiet"
            onClick={() => {
              setDraft(stored);
              save.setError(undefined);
            }}
          >
            Discard changes
          </button>
        )}
      </div>
    </form>
  );
}

/** One entry: the organisation's text, the default as the placeholder and, once overridden, beside it. */
function Entry(props: {
  name: string;
  fallback: string;
  /** The entry in English, when the language edited is another. */
  english?: string | undefined;
  value: string;
  error: string | undefined;
  onChange(value: string): void;
}) {
  const { name, fallback, english, value } = props;
  const slots = slotsOf(fallback);
  const hint = (
    <>
      {value && <span className="wording-default">Default: {fallback}</span>}
      {english && english !== fallback && <span lang="en">In English: {english}</span>}
      {slots.length > 0 && <span>Slots: {slots.map((slot) => `{${slot}}`).join(', ')}</span>}
    </>
  );
  const control =
    fallback.length > 60 ? (
      <textarea rows={2} value={value} placeholder={fallback} onChange={(e) => props.onChange(e.target.value)} />
    ) : (
      <input value={value} placeholder={fallback} onChange={(e) => props.onChange(e.target.value)} />
    );
  return (
    <div className="wording-entry">
      <Field label={label(name)} hint={value || slots.length || english ? hint : undefined} error={props.error}>
        {control}
      </Field>
      {value && (
        <button type="button" className="button-quiet" onClick={() => props.onChange('')}>
          Reset<span className="visually-hidden"> {label(name)} to the default</span>
        </button>
      )}
    </div>
  );
}

/** "viewInBrowser" → "View in browser". */
function label(name: string): string {
  const words = name.replace(/([A-Z])/g, ' $1').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The field the server names for an entry: wording.es.footer.unsubscribe. */
const path = (language: string, key: string) => `wording.${language}.${key}`;

function flatten(own: OrganisationWording[string] | undefined): Draft {
  return Object.fromEntries(
    Object.entries(own ?? {}).flatMap(([group, texts]) =>
      Object.entries(texts ?? {}).map(([name, text]) => [`${group}.${name}`, text as string]),
    ),
  );
}

/** The draft as the setting keeps it, without the entries left empty. */
function unflatten(draft: Draft): Record<string, Record<string, string>> {
  const own: Record<string, Record<string, string>> = {};
  for (const [key, text] of Object.entries(draft)) {
    if (!text.trim()) continue;
    const [group, name] = key.split('.') as [string, string];
    own[group] = { ...own[group], [name]: text };
  }
  return own;
}
