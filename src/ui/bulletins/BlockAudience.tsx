// Who sees a block: everyone (the default), or the readers a rule matches, edited with the rule
// builder the send screen uses, without "Received an earlier send" (a block's audience is read on
// each reader's row, which does not know the sends). The badge names the rule in the block's header.
import { useContext, useId, useState } from 'react';
import { describeRule } from '../../audience/rule-sentence';
import type { Rule } from '../../audience/rules';
import type { Topic } from '../../audience/schemas';
import { ApiError } from '../api';
import { RuleBuilder } from '../campaigns/RuleBuilder';
import { fromRule, isFilledIn, newCondition, newGroup, toRule, type GroupNode } from '../campaigns/rule-model';
import { useApi } from '../hooks';
import { ComposerFieldsContext } from './fields';
import { fieldId, type Block } from './model';

/** "Shown to readers with the tag signed-petition", or nothing for a block everyone sees. */
export function AudienceBadge({ audience }: { audience: Rule | undefined }) {
  if (!audience) return null;
  return (
    <span className="block-audience-badge" title="Only readers who match this rule see the block">
      Shown to {describeRule(audience)}
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
  // The tree is kept as typed; the block gets its rule once every condition is filled in, so a
  // condition just added (its tag still empty) does not stop the draft saving meanwhile.
  const [tree, setTree] = useState<GroupNode | undefined>(() =>
    block.audience ? fromRule(block.audience) : undefined,
  );
  const [given, setGiven] = useState(() => canonical(block.audience ?? null));
  // An undo, a merge or a copy changed the rule from elsewhere: the tree follows it.
  if (canonical(block.audience ?? null) !== given) {
    setGiven(canonical(block.audience ?? null));
    setTree(block.audience ? fromRule(block.audience) : undefined);
  }
  const set = (next: GroupNode | undefined) => {
    setTree(next);
    if (next && !isFilledIn(next)) return;
    const { audience: _, ...everyone } = block;
    const changed = next ? ({ ...block, audience: toRule(next) } as Block) : (everyone as Block);
    setGiven(canonical(changed.audience ?? null));
    onChange(changed);
  };
  return (
    // The id a check or a refused save about `blocks[i].audience…` jumps to (fieldId).
    <fieldset className="block-audience" id={fieldId(`blocks[${index}].audience`)} tabIndex={-1}>
      <legend>Audience</legend>
      <label className="checkbox">
        <input type="radio" name={name} checked={!tree} onChange={() => set(undefined)} />
        Everyone
      </label>
      <label className="checkbox">
        <input
          type="radio"
          name={name}
          checked={tree !== undefined}
          onChange={() => set(newGroup('all', [newCondition('tag')]))}
        />
        Only readers who match a rule
      </label>
      {tree && <AudienceRule tree={tree} index={index} filledIn={isFilledIn(tree)} onChange={set} />}
    </fieldset>
  );
}

/** A rule as text whatever its keys' order (the server's may differ from the builder's). */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v,
  );

function AudienceRule({
  tree,
  index,
  filledIn,
  onChange,
}: {
  tree: GroupNode;
  index: number;
  filledIn: boolean;
  onChange(tree: GroupNode): void;
}) {
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
      {!filledIn && (
        <p className="field-hint" role="status">
          The rule is saved once each condition is filled in.
        </p>
      )}
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
