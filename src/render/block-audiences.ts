// Which blocks with an audience a reader is shown: each block's rule compiled once per campaign,
// then read on each reader's row (fetched with the batch) in memory, in nanoseconds.
import { compileRule, type ReaderTest, type RuleReader } from '../audience/rule-evaluator.js';
import type { Rule } from '../audience/rules.js';
import type { Block } from '../bulletins/document.js';
import type { BlockAudience } from './render.js';

export interface BlockGate {
  block: number;
  isFor: ReaderTest;
}

/** The compiled tests of a template's block audiences; none for a template without them (or stored before them). */
export function blockGates(audiences: readonly BlockAudience[] | undefined): BlockGate[] {
  return (audiences ?? []).map(({ block, rule }) => ({ block, isFor: compileRule(rule) }));
}

/** The blocks with an audience this reader is shown, by index in the document. */
export function shownBlocks(gates: readonly BlockGate[], reader: RuleReader): Set<number> {
  const shown = new Set<number>();
  for (const gate of gates) if (gate.isFor(reader)) shown.add(gate.block);
  return shown;
}

/** For the archive: nobody's row, so none of the blocks with an audience. */
export const NO_BLOCKS: ReadonlySet<number> = new Set();

/**
 * Each block's audience as the mail applies it: its own, and for a divider that a reader could
 * otherwise get beside another divider, or first or last, once the blocks for some readers next to
 * it are left out, theirs: a reader who gets none of them gets one line, not two. A run of blocks
 * with an audience between two dividers takes the second with it (the line is there when any of the
 * run is); a run that starts the bulletin takes the divider after it, one that ends it the divider
 * before it. Only a divider without an audience of its own is given one.
 */
export function blockAudiences(blocks: readonly Block[]): (Rule | undefined)[] {
  const audiences: (Rule | undefined)[] = blocks.map((block) => block.audience);
  const given = new Map<number, Rule[]>();
  const give = (divider: number, rule: Rule) => given.set(divider, [...(given.get(divider) ?? []), rule]);
  const isDivider = (i: number) => blocks[i]?.type === 'divider' && !blocks[i].audience;
  for (let start = 0; start < blocks.length; start++) {
    if (!blocks[start]!.audience) continue;
    let end = start;
    while (blocks[end + 1]?.audience) end++;
    const rules = blocks.slice(start, end + 1).map((block) => block.audience!);
    const run: Rule = rules.length === 1 ? rules[0]! : { any: rules };
    const [before, after] = [start - 1, end + 1];
    if (isDivider(after) && (before < 0 || isDivider(before))) give(after, run);
    else if (after === blocks.length && isDivider(before)) give(before, run);
    start = end;
  }
  // A divider between two runs stays only for a reader who gets both (there is a block on each side).
  for (const [divider, rules] of given) audiences[divider] = rules.length === 1 ? rules[0] : { all: rules };
  return audiences;
}
