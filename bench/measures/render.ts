// The costs of a send that depend on the bulletin: rendering MJML once per language
// (milliseconds), personalising one recipient's copy from the compiled template (microseconds),
// signed links included, as the worker's batch does it, and deciding whether a block is for a
// reader, its audience rule compiled once and evaluated on the reader's row (nanoseconds). And the
// same personalising of the example with three blocks given an audience, each reader's blocks
// decided on their row as the worker's batch does.
import { readFileSync } from 'node:fs';
import { compileRule, type RuleReader } from '../../src/audience/rule-evaluator.js';
import { RuleSchema } from '../../src/audience/rules.js';
import { BulletinDocument } from '../../src/bulletins/document.js';
import { EXAMPLE_FILE } from '../../src/bulletins/example.js';
import { personalise, recipientLinks } from '../../src/render/personalise.js';
import { blockGates, shownBlocks } from '../../src/render/block-audiences.js';
import { type CompiledBulletin, renderBulletin, type ThemeContext } from '../../src/render/render.js';
import { DEFAULT_SETTINGS } from '../../src/settings/settings.js';
import { LinkSigner } from '../../src/signed-links.js';
import { median } from '../support/median.js';
import { scaledUpTo, type BenchContext, type Measure } from './measure.js';

const LANGUAGE = 'en';
const PUBLIC_URL = 'https://news.example.org';
/** A block for Spanish speakers at border organisations who have not signed the petition yet. */
const BLOCK_AUDIENCE = {
  all: [
    { not: { tag: 'signed-petition-62500' } },
    { attribute: 'organisation_type', op: 'eq', value: 'border' },
    { language: ['es'] },
  ],
};
/** Readers the rule tells apart, cycled through so no one answer is the only one seen. */
const READERS = 1_000;
/** The example's blocks given an audience for personalise_conditional_us: a not-tag, an attribute, a language. */
const CONDITIONAL_BLOCKS: Record<number, unknown> = {
  7: { not: { tag: 'signed-petition-62500' } },
  9: { attribute: 'organisation_type', op: 'eq', value: 'border' },
  5: { language: ['es'] },
};

export const measure: Measure = async (context) => {
  // Costs per render and per copy, CPU only: scale 1's counts already give steady medians.
  const renders = scaledUpTo(context, 30, 30, 3);
  const recipients = scaledUpTo(context, 50_000, 50_000, 500);
  const doc = BulletinDocument.parse(JSON.parse(readFileSync(EXAMPLE_FILE, 'utf8')));
  const theme = {
    settings: {
      ...DEFAULT_SETTINGS,
      organisationName: 'National Network for Immigrant and Refugee Rights',
      postalAddress: '310 8th Street, Oakland, CA',
    },
    topicName: { en: 'Weekly bulletin', es: 'Boletín semanal' },
  };
  const signer = new LinkSigner('bench-secret-bench-secret-bench-secret');

  // The first renders load MJML's modules and warm the JIT; a send renders in a warm worker too.
  const rendered = await timeRenders(doc, renders, theme);
  const { compiled } = rendered;
  context.log(
    `render: ${renders} renders of the example (${LANGUAGE}, ${(compiled.htmlBytes / 1024).toFixed(1)} KB of HTML)`,
  );
  const personaliseUs = timePersonalise(compiled, recipients, signer);
  context.log(`render: ${recipients.toLocaleString('en')} personalised copies`);

  const conditional = BulletinDocument.parse({
    ...doc,
    blocks: doc.blocks.map((block, i) =>
      CONDITIONAL_BLOCKS[i] ? { ...block, audience: CONDITIONAL_BLOCKS[i] } : block,
    ),
  });
  const conditionalRender = await timeRenders(conditional, renders, theme);
  const gates = blockGates(conditionalRender.compiled.audiences);
  // Three blocks given an audience (the dividers beside them go with them: more gates than three).
  if (conditional.blocks.filter((block) => block.audience).length !== 3 || gates.length < 3)
    throw new Error('the conditional example has not three blocks with an audience');
  const readers = sampleReaders();
  const conditionalUs = timePersonalise(conditionalRender.compiled, recipients, signer, (i) =>
    shownBlocks(gates, readers[i % READERS]!),
  );
  context.log(`render: ${recipients.toLocaleString('en')} personalised copies with three blocks with an audience`);

  return {
    render_ms: rendered.ms,
    personalise_us: personaliseUs,
    render_over_personalise: (rendered.ms * 1000) / personaliseUs,
    rule_eval_ns: ruleEvaluation(scaledUpTo(context, 1_000, 1_000, 20), context),
    personalise_conditional_us: conditionalUs,
    render_over_personalise_conditional: (conditionalRender.ms * 1000) / conditionalUs,
  };
};

/** The median of `renders` renders of `doc` in English, after two to warm up, and the last render. */
async function timeRenders(doc: BulletinDocument, renders: number, theme: ThemeContext) {
  let compiled = await renderBulletin(doc, LANGUAGE, theme);
  await renderBulletin(doc, LANGUAGE, theme);
  const times: number[] = [];
  for (let i = 0; i < renders; i++) {
    const started = performance.now();
    compiled = await renderBulletin(doc, LANGUAGE, theme);
    times.push(performance.now() - started);
  }
  return { compiled, ms: median(times) };
}

/**
 * The median time of one recipient's copy: their links and the filled template, with the blocks
 * `shown` decides (on their row) when given. Each copy is timed on its own (hrtime costs well under
 * a microsecond); the first tenth warms up.
 */
function timePersonalise(
  compiled: CompiledBulletin,
  recipients: number,
  signer: LinkSigner,
  shown?: (i: number) => ReadonlySet<number>,
): number {
  const times: number[] = [];
  let bytes = 0;
  const warmUp = Math.floor(recipients / 10);
  for (let i = 0; i < recipients + warmUp; i++) {
    const started = process.hrtime.bigint();
    const links = recipientLinks(signer, PUBLIC_URL, {
      subscriberId: i + 1,
      campaignId: 1,
      language: LANGUAGE,
      inArchive: true,
    });
    const message = personalise(
      compiled,
      { subscriberId: i + 1, email: `person${i}@example.org`, name: `Person Number${i}` },
      links,
      shown?.(i),
    );
    const ns = Number(process.hrtime.bigint() - started);
    bytes += message.html.length;
    if (i >= warmUp) times.push(ns / 1000);
  }
  if (bytes === 0) throw new Error('nothing was personalised');
  return median(times);
}

/** Readers of varied languages, tags and attributes, as a batch fetches them. */
function sampleReaders(): RuleReader[] {
  return Array.from({ length: READERS }, (_, i) => ({
    language: ['es', 'en', 'fr'][i % 3]!,
    email: `person${i}@example.org`,
    createdAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
    tags: new Set(i % 4 === 0 ? ['signed-petition-62500', 'volunteer'] : ['volunteer']),
    topics: new Set(['weekly']),
    attributes: { organisation_type: ['border', 'faith', 'border', 'union', 'legal'][i % 5], state: 'TX', age: i % 90 },
  }));
}

/**
 * The median time to evaluate the compiled rule on one reader. One evaluation is shorter than a
 * clock reading, so each round times a pass over all the readers; the first tenth warms up.
 */
function ruleEvaluation(rounds: number, context: BenchContext): number {
  const isForReader = compileRule(RuleSchema.parse(BLOCK_AUDIENCE));
  const readers = sampleReaders();
  const times: number[] = [];
  let selected = 0;
  const warmUp = Math.floor(rounds / 10);
  for (let round = 0; round < rounds + warmUp; round++) {
    const started = process.hrtime.bigint();
    for (const reader of readers) if (isForReader(reader)) selected++;
    const ns = Number(process.hrtime.bigint() - started);
    if (round >= warmUp) times.push(ns / READERS);
  }
  if (selected === 0) throw new Error('the rule selected no reader');
  context.log(
    `render: ${((rounds + warmUp) * READERS).toLocaleString('en')} evaluations of a three-condition block audience`,
  );
  return median(times);
}
