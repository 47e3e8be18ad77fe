// What staff say about a bulletin's translations: a language ready to send (one checkbox each, the
// fallback language being the reference), a translation still correct after its fallback text
// changed, and the warnings the send screen repeats.
import { useState } from 'react';
import type { TranslationStatus } from '../../bulletins/schemas';
import { api } from '../api';
import { ErrorNotice, languageName } from '../components';
import { useAction, useApi } from '../hooks';
import { BASE, Link } from '../router';
import { type Bulletin, describeFinding, type Finding } from './model';

/** The findings a send warns about but does not refuse for: staff decide. */
const TRANSLATION_CODES: ReadonlySet<Finding['code']> = new Set(['translation_outdated', 'language_not_ready']);
export const isTranslationWarning = (finding: Finding) => TRANSLATION_CODES.has(finding.code);

/** A "Ready" checkbox for each translation; `onChange` runs the checks again. */
export function ReadyToggles({
  bulletinId,
  languages,
  onChange,
}: {
  bulletinId: number;
  languages: readonly string[];
  onChange(): void;
}) {
  const status = useApi<TranslationStatus>(`/api/bulletins/${bulletinId}/translations`);
  // The box shows its new state at once; the server's answer then says what holds.
  const [marked, setMarked] = useState<readonly string[]>();
  const ready = marked ?? status.data?.ready;
  const toggle = useAction(async (language: string, checked: boolean) => {
    setMarked([...(ready ?? []).filter((l) => l !== language), ...(checked ? [language] : [])]);
    try {
      const answer = await api<TranslationStatus>(
        checked ? 'PUT' : 'DELETE',
        `/api/bulletins/${bulletinId}/languages/${language}/ready`,
      );
      setMarked(answer.ready);
    } catch (error) {
      setMarked(undefined);
      throw error;
    }
    onChange();
  });
  const translations = languages.slice(1);
  if (translations.length === 0) return null;
  return (
    <fieldset className="ready-toggles" aria-busy={toggle.busy}>
      <legend>Translations ready to send</legend>
      {translations.map((language) => (
        <label key={language} className="checkbox">
          <input
            type="checkbox"
            checked={ready?.includes(language) ?? false}
            disabled={!ready}
            onChange={(event) => void toggle.run(language, event.target.checked)}
          />
          {languageName(language)} ready
        </label>
      ))}
      <ErrorNotice error={status.error ?? toggle.error} title="The ready marks could not be changed." />
    </fieldset>
  );
}

/** Marks the finding's translation still correct for the fallback text it was checked against. */
export function useStillCorrect(bulletinId: number, onDone: () => void) {
  return useAction(async (finding: Finding) => {
    await api('POST', `/api/bulletins/${bulletinId}/translations/still-correct`, {
      field: finding.field,
      language: finding.language,
    });
    onDone();
  });
}

/** The send screen's reminder of translations not ready or outdated, with the way back to the composer. */
export function TranslationWarnings({
  bulletin,
  findings,
}: {
  bulletin: Pick<Bulletin, 'id' | 'document'>;
  findings: Finding[];
}) {
  if (findings.length === 0) return null;
  return (
    <div className="notice notice-warning" role="note">
      <strong>Translations to look at before sending</strong> (the send is not refused for them):
      <ul>
        {findings.map((finding) => {
          const { where, message } = describeFinding(bulletin.document, finding);
          return (
            <li key={`${finding.code}-${finding.field ?? ''}-${finding.language ?? ''}`}>
              {where && finding.field && <strong>{where}: </strong>}
              {message}
            </li>
          );
        })}
      </ul>
      <p>
        <Link to={`${BASE}/bulletins/${bulletin.id}`}>Open the composer to mark them</Link>
      </p>
    </div>
  );
}
