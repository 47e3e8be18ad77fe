// The rule builder: groups that match all or any of their conditions, conditions of every kind the
// rule language has, "not" on either; the server's errors shown beside the condition they name.
import type { Topic } from '../../audience/schemas';
import type { CampaignListItem } from '../../sending/schemas';
import { ApiError } from '../api';
import { useApi } from '../hooks';
import { Field, formatDate, languageName, useOrganisationLanguages } from '../components';
import { issuesUnder, topicName } from '../subscribers/fields';
import {
  ATTRIBUTE_OPS,
  childPath,
  CONDITION_TYPES,
  innerPath,
  newCondition,
  newGroup,
  type AttributeOp,
  type BuilderNode,
  type ConditionNode,
  type ConditionType,
  type GroupNode,
} from './rule-model';
import './campaigns.css';

const TYPE_LABELS: Record<ConditionType, string> = {
  topic: 'Follows a topic',
  language: 'Reads a language',
  tag: 'Has a tag',
  emailDomain: 'Email domain',
  attribute: 'Attribute',
  subscribed: 'Subscribed between dates',
  campaign: 'Received an earlier send',
};

const OP_LABELS: Record<AttributeOp, string> = {
  eq: 'is',
  neq: 'is not',
  in: 'is one of',
  contains: 'contains',
  exists: 'is set',
  gt: 'is more than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
};

/** Groups deeper than this would be hard to read; the server allows 8 levels. */
const MAX_GROUP_DEPTH = 4;

interface Context {
  /** The kinds of condition offered: a block's audience cannot ask who received a send. */
  types: readonly ConditionType[];
  topics: Topic[];
  campaigns: CampaignListItem[];
  /** The organisation's languages (Settings), offered for a language condition. */
  languages: readonly string[];
  /** The error of the last preview or save, whose issues name paths in the rule. */
  error: unknown;
}

export function RuleBuilder({
  value,
  onChange,
  topics,
  error,
  path = 'rule',
  label = 'Rule',
  withCampaigns = true,
}: {
  value: GroupNode;
  onChange(value: GroupNode): void;
  topics: Topic[];
  error: unknown;
  /** Where the rule sits in the request body, as the server's issues name it: "rule", "blocks[3].audience". */
  path?: string;
  /** The top group's legend. */
  label?: string;
  /** Whether "Received an earlier send" is offered (not in a block's audience, which may not name a send). */
  withCampaigns?: boolean;
}) {
  // Only sends that went out can have been received.
  const campaigns = useApi<{ data: CampaignListItem[] }>(withCampaigns ? '/api/campaigns' : null);
  const languages = useOrganisationLanguages();
  const context: Context = {
    types: withCampaigns ? CONDITION_TYPES : CONDITION_TYPES.filter((type) => type !== 'campaign'),
    topics,
    languages,
    campaigns: (campaigns.data?.data ?? []).filter((c) => c.startedAt !== null),
    error,
  };
  return (
    <GroupEditor
      node={value}
      onChange={(node) => onChange(node as GroupNode)}
      path={path}
      label={label}
      depth={0}
      context={context}
    />
  );
}

interface EditorProps<T extends BuilderNode> {
  node: T;
  onChange(node: BuilderNode): void;
  onRemove?(): void;
  /** The node's path in the rule, as the server's errors name it. */
  path: string;
  /** "Rule", "Group 2", "Condition 2.1": the legend, and how tests and screen readers find it. */
  label: string;
  depth: number;
  context: Context;
}

function GroupEditor({ node, onChange, onRemove, path, label, depth, context }: EditorProps<GroupNode>) {
  const replace = (index: number, child: BuilderNode) =>
    onChange({ ...node, children: node.children.map((c, i) => (i === index ? child : c)) });
  const remove = (index: number) => onChange({ ...node, children: node.children.filter((_, i) => i !== index) });
  const number = (index: number) => (depth === 0 ? `${index + 1}` : `${label.replace(/^Group /, '')}.${index + 1}`);
  const inner = innerPath(node, path);
  const groupError = issueAt(context.error, inner) ?? issueAt(context.error, `${inner}.${node.match}`);
  return (
    <fieldset className={`rule-group ${node.not ? 'rule-not' : ''}`}>
      <legend>{label}</legend>
      <div className="rule-row">
        <Field label="Match">
          <select value={node.match} onChange={(e) => onChange({ ...node, match: e.target.value as 'all' | 'any' })}>
            <option value="all">all of these (and)</option>
            <option value="any">any of these (or)</option>
          </select>
        </Field>
        <label className="checkbox rule-not-toggle">
          <input type="checkbox" checked={node.not} onChange={(e) => onChange({ ...node, not: e.target.checked })} />
          Not: leave these out
        </label>
        {onRemove && (
          <button
            type="button"
            className="button-quiet button-small rule-remove"
            onClick={onRemove}
            aria-label={`Remove ${label.toLowerCase()}`}
          >
            Remove
          </button>
        )}
      </div>
      {node.children.length === 0 && (
        <p className="muted rule-empty">
          {node.match === 'all'
            ? 'No condition yet: this matches every subscriber.'
            : 'No condition yet: "any of none" matches no one.'}
        </p>
      )}
      {groupError && <p className="field-error">{groupError}</p>}
      <ol className="rule-children">
        {node.children.map((child, index) => (
          <li key={child.key}>
            {child.kind === 'group' ? (
              <GroupEditor
                node={child}
                onChange={(c) => replace(index, c)}
                onRemove={() => remove(index)}
                path={childPath(node, path, index)}
                label={`Group ${number(index)}`}
                depth={depth + 1}
                context={context}
              />
            ) : (
              <ConditionEditor
                node={child}
                onChange={(c) => replace(index, c)}
                onRemove={() => remove(index)}
                path={childPath(node, path, index)}
                label={`Condition ${number(index)}`}
                depth={depth + 1}
                context={context}
              />
            )}
          </li>
        ))}
      </ol>
      <div className="rule-actions">
        <button
          type="button"
          className="button-small"
          onClick={() => onChange({ ...node, children: [...node.children, newCondition(context.types[0])] })}
        >
          Add condition
        </button>
        {depth < MAX_GROUP_DEPTH && (
          <button
            type="button"
            className="button-small"
            onClick={() =>
              onChange({
                ...node,
                children: [
                  ...node.children,
                  newGroup(node.match === 'all' ? 'any' : 'all', [newCondition(context.types[0])]),
                ],
              })
            }
          >
            Add group
          </button>
        )}
      </div>
    </fieldset>
  );
}

/** The server's message about exactly this path (a group's list, a condition as a whole), not the fields inside it. */
function issueAt(error: unknown, path: string): string | undefined {
  return error instanceof ApiError ? error.issueFor(path) : undefined;
}

function ConditionEditor({ node, onChange, onRemove, path, label, context }: EditorProps<ConditionNode>) {
  const own = innerPath(node, path);
  const error = (field: string) => issuesUnder(context.error, `${own}.${field}`);
  const set = (change: Partial<ConditionNode>) => onChange({ ...node, ...change });
  return (
    <fieldset className={`rule-condition ${node.not ? 'rule-not' : ''}`}>
      <legend>{label}</legend>
      <div className="rule-row">
        <Field label="Type">
          <select value={node.type} onChange={(e) => set({ type: e.target.value as ConditionType })}>
            {context.types.map((type) => (
              <option key={type} value={type}>
                {TYPE_LABELS[type]}
              </option>
            ))}
          </select>
        </Field>
        {node.type === 'topic' && (
          <Field label="Topic" error={error('topic')}>
            <select value={node.text} onChange={(e) => set({ text: e.target.value })}>
              <option value="">Choose a topic…</option>
              {context.topics.map((topic) => (
                <option key={topic.key} value={topic.key}>
                  {topicName(topic)}
                </option>
              ))}
            </select>
          </Field>
        )}
        {node.type === 'tag' && (
          <Field label="Tag" error={error('tag')}>
            <input value={node.text} onChange={(e) => set({ text: e.target.value })} placeholder="press" />
          </Field>
        )}
        {node.type === 'emailDomain' && (
          <Field label="Domain" hint="Addresses at exactly this domain" error={error('emailDomain')}>
            <input value={node.text} onChange={(e) => set({ text: e.target.value })} placeholder="example.org" />
          </Field>
        )}
        {node.type === 'attribute' && (
          <>
            <Field label="Attribute" error={error('attribute')}>
              <input value={node.text} onChange={(e) => set({ text: e.target.value })} placeholder="state" />
            </Field>
            <Field label="Operator" error={error('op')}>
              <select value={node.op} onChange={(e) => set({ op: e.target.value as AttributeOp })}>
                {ATTRIBUTE_OPS.map((op) => (
                  <option key={op} value={op}>
                    {OP_LABELS[op]}
                  </option>
                ))}
              </select>
            </Field>
            {node.op !== 'exists' && (
              <Field label="Value" hint={valueHint(node.op, node.numeric)} error={error('value')}>
                <input value={node.value} onChange={(e) => set({ value: e.target.value })} />
              </Field>
            )}
            {(node.op === 'eq' || node.op === 'neq' || node.op === 'in') && (
              <label className="checkbox">
                <input type="checkbox" checked={node.numeric} onChange={(e) => set({ numeric: e.target.checked })} />
                As a number
              </label>
            )}
          </>
        )}
        {node.type === 'subscribed' && (
          <>
            <Field label="On or after" error={error('subscribed.after')}>
              <input type="date" value={node.after} onChange={(e) => set({ after: e.target.value })} />
            </Field>
            <Field label="Before" error={error('subscribed.before') ?? issueAt(context.error, `${own}.subscribed`)}>
              <input type="date" value={node.before} onChange={(e) => set({ before: e.target.value })} />
            </Field>
          </>
        )}
        {node.type === 'campaign' && (
          <>
            <Field label="Send" error={error('campaign')}>
              <select value={node.campaign} onChange={(e) => set({ campaign: e.target.value })}>
                <option value="">Choose a send…</option>
                {context.campaigns.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.bulletinTitle} ({formatDate(c.startedAt)})
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Received">
              <select
                value={node.received ? 'yes' : 'no'}
                onChange={(e) => set({ received: e.target.value === 'yes' })}
              >
                <option value="yes">received it</option>
                <option value="no">did not receive it</option>
              </select>
            </Field>
          </>
        )}
        <label className="checkbox rule-not-toggle">
          <input type="checkbox" checked={node.not} onChange={(e) => set({ not: e.target.checked })} />
          Not
        </label>
        {onRemove && (
          <button
            type="button"
            className="button-quiet button-small rule-remove"
            onClick={onRemove}
            aria-label={`Remove ${label.toLowerCase()}`}
          >
            Remove
          </button>
        )}
      </div>
      {node.type === 'language' && (
        <fieldset className="rule-languages">
          <legend>Languages</legend>
          {/* A rule saved with another language keeps it on offer. */}
          {[...new Set([...context.languages, ...node.languages])].map((code) => (
            <label key={code} className="checkbox">
              <input
                type="checkbox"
                checked={node.languages.includes(code)}
                onChange={(e) =>
                  set({
                    languages: e.target.checked ? [...node.languages, code] : node.languages.filter((l) => l !== code),
                  })
                }
              />
              {languageName(code)}
            </label>
          ))}
          {error('language') && <p className="field-error">{error('language')}</p>}
        </fieldset>
      )}
    </fieldset>
  );
}

function valueHint(op: AttributeOp, numeric: boolean): string {
  if (op === 'in') return numeric ? 'Numbers, separated with commas' : 'Separate the values with commas';
  if (op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte') return 'A number, or a date such as 2025-01-31';
  return numeric ? 'Compared as a number: 41 matches 41 and "41"' : 'Compared exactly, as text';
}
