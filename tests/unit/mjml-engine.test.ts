// The worker renders in a passing thread so that MJML's memory leaves with it: the thread must
// give exactly what MJML gives in-process, end once idle, and survive a render that fails.
import { describe, expect, it } from 'vitest';
import { inProcessMjml, PassingThread } from '../../src/render/mjml-engine.js';
import { bulletinSource } from '../../src/render/render.js';
import { ORGANISATION, exampleBulletin } from '../helpers/bulletins.js';

const OPTIONS = { validationLevel: 'soft', fonts: {}, keepComments: false } as const;
const context = { settings: ORGANISATION, topicName: { en: 'Weekly bulletin', es: 'Boletín semanal' } };

describe('the passing MJML thread', () => {
  it('renders what MJML renders in-process, starts on demand and ends when idle', async () => {
    const doc = exampleBulletin();
    const sources = doc.languages.map((language) => bulletinSource(doc, language, context));
    const thread = new PassingThread();
    expect(thread.running).toBe(false);

    const rendering = Promise.all(sources.map((source) => thread.toHtml(source, OPTIONS)));
    expect(thread.running).toBe(true);
    const threaded = await rendering;
    expect(thread.running).toBe(false);

    const inProcess = await Promise.all(sources.map((source) => inProcessMjml.toHtml(source, OPTIONS)));
    expect(threaded.map((r) => r.html)).toEqual(inProcess.map((r) => r.html));
    expect(threaded[0]!.html).toContain('<html');
  }, 30_000);

  it("passes MJML's validation problems back, and a failed render fails alone", async () => {
    const thread = new PassingThread();
    const invalid =
      '<mjml><mj-body><mj-section><mj-column><mj-text nonsense="1">x</mj-text>' +
      '</mj-column></mj-section></mj-body></mjml>';
    const problems = await thread.toHtml(invalid, OPTIONS);
    expect(problems.errors.map((e) => e.tagName)).toContain('mj-text');

    await expect(thread.toHtml(invalid, { ...OPTIONS, validationLevel: 'strict' })).rejects.toThrow(/^MJML: /);
    const after = await thread.toHtml('<mjml><mj-body><mj-text>still here</mj-text></mj-body></mjml>', OPTIONS);
    expect(after.html).toContain('still here');
    expect(thread.running).toBe(false);
  }, 30_000);
});
