// Who sees a block: everyone (the default), or the readers a rule matches, edited with the rule
// builder the send screen uses, without "Received an earlier send" (a block's audience is read on
// each reader's row, which does not know the sends). The badge names the rule in the block's header.
import { useContext, useId, useState } from 'react';
import { ruleWords } from '../../audience/rule-words';
import type { Rule } from '../../audience/rules';
import type { Topic } from '../../audience/schemas';
import { ApiError } from '../api';
import { RuleBuilder } from '../campaigns/RuleBuilder';
import { fromRule, newCondition, newGroup, toRule, type GroupNode } from '../campaigns/rule-model';
import { useApi } from '../hooks';
import { ComposerFieldsContext } from './fields';
import { fieldId, type Block } from './model';

/** "Only: tag signed-petition", or nothing for a block everyone sees. */
export function AudienceBadge({ audience }: { audience: Rule | undefined }) {
  if (!audience) return null;
  return (
    <span className="block-audience-badge" title="Only readers who match this rule see the block">
      Only: {ruleWords(audience)}
    </span>
  );
}

export function BlockAudience({
  block,
  index,
  onChange,
}: {
  block: Block;
  index: number;
  onChange(block: Block): void;
}) {
  const name = useId();
  // The tree is kept as typed (an unfinished condition stays on screen); the block holds its rule.
  const [tree, setTree] = useState<GroupNode | undefined>(() =>
    block.audience ? fromRule(block.audience) : undefined,
  );
  const set = (next: GroupNode | undefined) => {
    setTree(next);
    const { audience: _, ...everyone } = block;
    onChange(next ? ({ ...block, audience: toRule(next) } as Block) : (everyone as Block));
  };
  // An undo, a merge or a copy changed the rule from elsewhere: the tree follows it.
  const inStep = tree ? block.audience !== undefined && same(toRule(tree), block.audience) : !block.audience;
  if (!inStep) setTree(block.audience ? fromRule(block.audience) : undefined);
  const shown = inStep ? tree : undefined;
  return (
    // The id a check or a refused save about `blocks[i].audience…` jumps to (fieldId).
    <fieldset className="block-audience" id={fieldId(`blocks[${index}].audience`)} tabIndex={-1}>
      <legend>Audience</legend>
      <label className="checkbox">
        <input type="radio" name={name} checked={!shown} onChange={() => set(undefined)} />
        Everyone
      </label>
      <label className="checkbox">
        <input
          type="radio"
          name={name}
          checked={shown !== undefined}
          onChange={() => set(newGroup('all', [newCondition('tag')]))}
        />
        Only readers who match a rule
      </label>
      {shown && <AudienceRule tree={shown} index={index} onChange={set} />}
    </fieldset>
  );
}

/** Two rules alike whatever their keys' order (the server's may differ from the builder's). */
const same = (a: Rule, b: Rule) => canonical(a) === canonical(b);
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v,
  );

function AudienceRule({ tree, index, onChange }: { tree: GroupNode; index: number; onChange(tree: GroupNode): void }) {
  const topics = useApi<{ data: Topic[] }>('/api/topics');
  const { issues } = useContext(ComposerFieldsContext);
  const path = `blocks[${index}].audience`;
  // The save's refusal, read by the builder as it reads a preview's: each issue beside its condition.
  const error = new ApiError(
    400,
    'invalid_input',
    '',
    issues.filter((issue) => issue.path.startsWith(path)),
  );
  return (
    <div className="block-audience-rule">
      <p className="muted">
        Readers the rule leaves out get the bulletin without this block. The send screen counts who sees it.
      </p>
      <RuleBuilder
        value={tree}
        onChange={onChange}
        topics={topics.data?.data ?? []}
        error={error}
        path={path}
        label={`Audience rule of block ${index + 1}`}
        withCampaigns={false}
      />
    </div>
  );
}
