// Whom the preview shows a bulletin with blocks for some readers (a block's `audience`) to: every
// block, each labelled with its rule, as a test send shows them; one subscriber, found by address;
// or a made-up reader with the tags given, in the preview's language. The answer is the preview
// route's query (GET /api/bulletins/:id/preview: `subscriberId`, `tags`).
import { useState, type FormEvent } from 'react';
import type { SubscriberPage } from '../../audience/schemas';
import { api } from '../api';
import { ErrorNotice } from '../components';
import { Toggle } from './Toggle';

type Reader = 'every-block' | 'subscriber' | 'tags';

/** The longest tag there is (src/audience/schemas.ts `Tag`). */
const TAG_MAX = 64;

export function PreviewReader({ onChange }: { onChange(query: string): void }) {
  const [reader, setReader] = useState<Reader>('every-block');
  const [address, setAddress] = useState('');
  const [tags, setTags] = useState('');
  const [found, setFound] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const [error, setError] = useState<unknown>();

  const choose = (next: Reader) => {
    setReader(next);
    setProblem(undefined);
    setFound(undefined);
    // A subscriber is shown once found; until then, every block.
    if (next === 'tags') showTags();
    else onChange('');
  };
  const showTags = () => {
    const list = tags
      .split(',')
      .map((tag) => tag.trim())
      .filter(Boolean);
    const long = list.find((tag) => tag.length > TAG_MAX);
    if (long) return setProblem(`“${long.slice(0, 20)}…” is longer than ${TAG_MAX} characters, the most a tag has`);
    setProblem(undefined);
    onChange(`&tags=${encodeURIComponent(list.join(','))}`);
  };
  const findSubscriber = async () => {
    const wanted = address.trim().toLowerCase();
    if (!wanted) return setProblem('Type the address of a subscriber');
    setError(undefined);
    try {
      const page = await api<SubscriberPage>('GET', `/api/subscribers?email=${encodeURIComponent(wanted)}&perPage=20`);
      const subscriber = page.data.find((s) => s.email === wanted);
      if (!subscriber) return setProblem(`No subscriber has the address ${wanted}`);
      setProblem(undefined);
      setFound(subscriber.email);
      onChange(`&subscriberId=${subscriber.id}`);
    } catch (e) {
      setError(e);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reader === 'subscriber') void findSubscriber();
    else showTags();
  };

  return (
    <div className="preview-reader">
      <Toggle<Reader>
        label="Blocks for"
        value={reader}
        onChange={choose}
        options={[
          ['every-block', 'Everyone, labelled'],
          ['subscriber', 'A subscriber'],
          ['tags', 'Tags'],
        ]}
      />
      {reader !== 'every-block' && (
        <form onSubmit={submit} noValidate>
          {reader === 'subscriber' ? (
            <label>
              Subscriber's address
              <input type="email" value={address} onChange={(e) => setAddress(e.target.value)} autoComplete="off" />
            </label>
          ) : (
            <label>
              Tags, separated by commas (none: a reader without tags)
              <input value={tags} onChange={(e) => setTags(e.target.value)} autoComplete="off" />
            </label>
          )}
          <button type="submit" className="button-small">
            Show
          </button>
        </form>
      )}
      <p className="muted side-note" role="status">
        {problem ??
          (reader === 'every-block'
            ? 'Every block, those for some readers labelled with who sees them, as a test send shows them.'
            : reader === 'subscriber'
              ? found && `As ${found} gets it: only the blocks for some readers their row matches.`
              : 'As a reader with these tags gets it, in the language chosen above.')}
      </p>
      <ErrorNotice error={error} title="The subscriber could not be looked up." />
    </div>
  );
}
