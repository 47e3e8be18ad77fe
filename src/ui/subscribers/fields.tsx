// What the subscriber and topic screens share: topic names, the topic checkboxes, and the
// server's messages about a field and the values inside it. Their shapes are the audience
// contract's (src/audience/schemas.ts).
import type { Topic } from '../../audience/schemas';
import { ApiError } from '../api';

/** A topic as staff read it: its English name, else any name it has, else its key. */
export function topicName(topic: Topic): string {
  return topic.name.en ?? Object.values(topic.name)[0] ?? topic.key;
}

/**
 * The server's messages about `path` and anything inside it ("tags" gets "tags[2]: must not be
 * empty"), so a list or object field shows which of its values is wrong.
 */
export function issuesUnder(error: unknown, path: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const messages = error.issues
    .filter((issue) => issue.path === path || issue.path.startsWith(`${path}.`) || issue.path.startsWith(`${path}[`))
    .map((issue) => (issue.path === path ? issue.message : `${issue.path}: ${issue.message}`));
  return messages.length ? messages.join('; ') : undefined;
}

/** A checkbox per topic, in a fieldset whose legend names the group. */
export function TopicChoices({
  topics,
  selected,
  onChange,
  error,
}: {
  topics: Topic[];
  selected: string[];
  onChange(keys: string[]): void;
  error?: string;
}) {
  const toggle = (key: string, on: boolean) => onChange(on ? [...selected, key] : selected.filter((k) => k !== key));
  return (
    <fieldset className={error ? 'field-invalid' : undefined}>
      <legend>Topics</legend>
      {topics.length === 0 && <p className="muted">There are no topics yet.</p>}
      <div className="topic-choices">
        {topics.map((topic) => (
          <label key={topic.key} className="checkbox">
            <input
              type="checkbox"
              checked={selected.includes(topic.key)}
              onChange={(e) => toggle(topic.key, e.target.checked)}
            />
            {topicName(topic)}
          </label>
        ))}
      </div>
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}
