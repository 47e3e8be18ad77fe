// Who the chosen audience reaches: selected → eligible, why the rest are left out, by language, a sample.
import { EXCLUSION_REASONS, type ExclusionReason } from '../../audience/exclusion-reasons';
import { describeRule } from '../../audience/rule-sentence';
import type { AudiencePreview, AudiencePreviewWithBlocks } from '../../audience/schemas';
import { blockLabel, type Block } from '../bulletins/model';
import { formatNumber, languageName } from '../components';

const REASONS: Record<ExclusionReason, string> = {
  unsubscribed: 'unsubscribed: they left',
  unconfirmed: 'unconfirmed: they never confirmed their subscription',
  bounced: 'bounced: their address bounced for good',
  complained: 'complained: they marked a bulletin as spam',
  paused: 'paused: they asked for no mail for now',
  suppressed: 'suppressed: their address is on the suppression list',
  not_in_topic: 'not in the topic: they do not follow the bulletin’s topic',
};

export const plural = (n: number, word: string) => `${formatNumber(n)} ${word}${n === 1 ? '' : 's'}`;

/**
 * "1,204 subscribers: 800 in English, 404 in Spanish". A subscriber whose language the bulletin
 * lacks gets its first language, as the send does.
 */
export function audienceSentence(preview: AudiencePreview, languages: string[]): string {
  const perLanguage = new Map<string, number>();
  for (const [code, n] of Object.entries(preview.byLanguage)) {
    const language = languages.includes(code) ? code : languages[0]!;
    perLanguage.set(language, (perLanguage.get(language) ?? 0) + n);
  }
  const parts = [...perLanguage].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  const total = plural(preview.eligible, 'subscriber');
  if (parts.length === 1) return `${total}, all in ${languageName(parts[0]![0])}`;
  return `${total}: ${parts.map(([code, n]) => `${formatNumber(n)} in ${languageName(code)}`).join(', ')}`;
}

export function AudienceCounts({
  preview,
  blocks = [],
  counting,
  problem,
}: {
  preview: AudiencePreviewWithBlocks | undefined;
  /** The bulletin's blocks, to name those the preview counts (`preview.blocks`). */
  blocks?: readonly Block[];
  counting: boolean;
  problem: string | undefined;
}) {
  const excluded = preview ? EXCLUSION_REASONS.filter((r) => preview.excluded[r] > 0) : [];
  const languages = preview ? Object.entries(preview.byLanguage).sort((a, b) => b[1] - a[1]) : [];
  return (
    <section className="card audience-counts" aria-labelledby="audience-counts-title" aria-busy={counting}>
      <h2 id="audience-counts-title">Who gets it</h2>
      <p role="status" className={counting ? 'muted' : undefined}>
        {problem
          ? problem
          : counting && !preview
            ? 'Counting…'
            : preview
              ? `${plural(preview.eligible, 'subscriber')} eligible of ${formatNumber(preview.selected)} selected` +
                `${counting ? ' (counting again…)' : '.'}`
              : 'Choose an audience to see who it reaches.'}
      </p>
      {preview && (
        <div className={counting || problem ? 'stale' : undefined}>
          <dl className="stats audience-funnel">
            <div>
              <dt>Selected</dt>
              <dd>{formatNumber(preview.selected)}</dd>
            </div>
            <div>
              <dt>Eligible</dt>
              <dd>{formatNumber(preview.eligible)}</dd>
            </div>
          </dl>
          <h3>Left out</h3>
          {excluded.length === 0 ? (
            <p className="muted">No one: everyone selected is eligible.</p>
          ) : (
            <ul className="exclusions">
              {excluded.map((reason) => (
                <li key={reason}>
                  <strong>{formatNumber(preview.excluded[reason])}</strong> {REASONS[reason]}
                </li>
              ))}
            </ul>
          )}
          {preview.blocks && preview.blocks.length > 0 && (
            <>
              <h3>Blocks for some readers</h3>
              <ul className="block-reach">
                {preview.blocks.map(({ index, type, shown }) => {
                  const audience = blocks[index]?.audience;
                  return (
                    <li key={index}>
                      Block {index + 1}, {blockLabel(type as Block['type']).toLowerCase()}:{' '}
                      <strong>
                        {formatNumber(shown)} of {formatNumber(preview.eligible)}
                      </strong>
                      {audience && <span className="muted"> · shown to {describeRule(audience)}</span>}
                      {shown === 0 && preview.eligible > 0 && <span className="field-error"> Shown to nobody.</span>}
                    </li>
                  );
                })}
              </ul>
            </>
          )}
          <h3>Eligible by language</h3>
          {languages.length === 0 ? (
            <p className="muted">No one is eligible.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Language</th>
                    <th scope="col" className="number">
                      Subscribers
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {languages.map(([code, n]) => (
                    <tr key={code}>
                      <td>{languageName(code)}</td>
                      <td className="number">{formatNumber(n)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {preview.sample.length > 0 && (
            <>
              <h3>Some of them</h3>
              <ul className="audience-sample">
                {preview.sample.slice(0, 5).map((s) => (
                  <li key={s.id}>
                    {s.name ? `${s.name} · ` : ''}
                    {s.email} <span className="muted">({languageName(s.language)})</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
}
