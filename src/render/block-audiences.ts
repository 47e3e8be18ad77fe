// Which blocks with an audience a reader is shown: each block's rule compiled once per campaign,
// then read on each reader's row (fetched with the batch) in memory, in nanoseconds.
import { compileRule, type ReaderTest, type RuleReader } from '../audience/rule-evaluator.js';
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
