// A bulletin as the organisation's mail: gathers what the pure renderer needs (settings, the
// topic's name) for sends, the archive, previews and the pre-send checks.
import type { AudienceBlock, BlockAudienceFacts } from '../audience/audience-store.js';
import { languageName } from '../audience/languages.js';
import type { TopicStore } from '../audience/topic-store.js';
import type { BulletinDocument } from '../bulletins/document.js';
import type { Finding, PreviewFormat } from '../bulletins/schemas.js';
import type { TranslationState } from '../bulletins/translation-history.js';
import { AppError } from '../errors.js';
import type { RuleReader } from '../audience/rule-evaluator.js';
import { blockGates, NO_BLOCKS, shownBlocks } from './block-audiences.js';
import { checkBulletin } from './checks.js';
import { personalise, publicValues, recipientLinks, type Recipient } from './personalise.js';
import { bulletinSource, type CompiledBulletin, renderBulletin, type ThemeContext } from './render.js';
import type { MjmlEngine } from './mjml-engine.js';
import { fillTemplate } from './template.js';
import { AS_SENT, withLook } from './preview-look.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { LinkSigner } from '../signed-links.js';

/** The reader a preview is personalised for. */
export const SAMPLE_RECIPIENT: Recipient = { subscriberId: 0, email: 'reader@example.org', name: 'Ana García' };

/** Who the blocks' audiences reach, for the pre-send checks (the audience store answers it). */
export interface BlockAudiences {
  blockAudienceFacts(blocks: readonly AudienceBlock[], topic: string | undefined): Promise<BlockAudienceFacts>;
}

export class BulletinRenderer {
  constructor(
    private readonly deps: {
      settings: SettingsStore;
      topics: TopicStore;
      signer: LinkSigner;
      publicUrl: string;
      /** Where the media library's images are, for the pre-send checks. */
      mediaUrl: string;
      mjml: MjmlEngine;
      /** Left out, the checks say nothing of the blocks' audiences. */
      blockAudiences?: BlockAudiences;
      /** Subscribers' rows as a block's audience reads them (src/audience/rule-readers.ts), for the preview. */
      readers: (ids: readonly number[]) => Promise<Map<number, RuleReader>>;
    },
  ) {}

  async themeContext(doc: BulletinDocument): Promise<ThemeContext> {
    const [settings, topic] = await Promise.all([
      this.deps.settings.get(),
      doc.topic ? this.deps.topics.find(doc.topic) : undefined,
    ]);
    return { settings, ...(topic ? { topicName: topic.name } : {}) };
  }

  /** The bulletin in one language; 422 with a `render_failed` finding when it cannot be rendered. */
  async render(doc: BulletinDocument, language: string, context?: ThemeContext): Promise<CompiledBulletin> {
    const theme = context ?? (await this.themeContext(doc));
    return rendering(language, () => renderBulletin(doc, language, theme, this.deps.mjml));
  }

  /**
   * The copy staff get (a test send, the preview): every block, each one with an audience labelled
   * with its rule in words. Personalise it with every block shown.
   */
  async staffCopy(doc: BulletinDocument, language: string, context?: ThemeContext): Promise<CompiledBulletin> {
    const theme = context ?? (await this.themeContext(doc));
    return this.render(doc, language, { ...theme, labelAudiences: true });
  }

  /**
   * The mail for a sample reader. With `reader`, as that reader would get it: the blocks with an
   * audience their row matches, and no labels; without, the staff copy, every block labelled.
   */
  async preview(
    doc: BulletinDocument,
    language: string,
    format: PreviewFormat,
    look = AS_SENT,
    reader?: RuleReader,
  ): Promise<string> {
    const context = await this.themeContext(doc);
    if (format === 'mjml') return rendering(language, () => bulletinSource(doc, language, context));
    const compiled = reader ? await this.render(doc, language, context) : await this.staffCopy(doc, language, context);
    const links = recipientLinks(this.deps.signer, this.deps.publicUrl, {
      subscriberId: SAMPLE_RECIPIENT.subscriberId,
      campaignId: 0,
      language,
    });
    const shown = reader ? shownBlocks(blockGates(compiled.audiences), reader) : undefined;
    const message = personalise(compiled, SAMPLE_RECIPIENT, links, shown);
    return format === 'html' ? withLook(message.html, look) : message.text;
  }

  /** A subscriber's row as a block's audience reads it; 400 naming `subscriberId` when there is no such subscriber. */
  async subscriberReader(id: number): Promise<RuleReader> {
    const reader = (await this.deps.readers([id])).get(id);
    if (!reader)
      throw AppError.invalid([{ path: 'subscriberId', message: `is not a subscriber (no subscriber ${id})` }]);
    return reader;
  }

  /**
   * The public archive's copy of a bulletin in one language, as HTML: the document as written,
   * not the campaign's templates (those carry the tracked /c/ redirects and the footer addressed
   * to a reader), in the archive's theme (a call to subscribe instead of that footer), filled with
   * nobody's values, without the blocks that have an audience. Rendered when a campaign is
   * prepared, never on a reader's request.
   */
  async archiveCopy(doc: BulletinDocument, language: string, context: ThemeContext): Promise<string> {
    const { publicUrl, mjml } = this.deps;
    const subscribeUrl = `${publicUrl}/subscribe?lang=${encodeURIComponent(language)}`;
    const compiled = await renderBulletin(doc, language, { ...context, for: 'archive', subscribeUrl }, mjml);
    // Read by anyone, so by no one's row: the blocks with an audience are left out.
    return fillTemplate(compiled.html, publicValues(publicUrl), NO_BLOCKS);
  }

  async checks(doc: BulletinDocument, translations?: TranslationState): Promise<Finding[]> {
    const context = await this.themeContext(doc);
    const conditional = doc.blocks.some((block) => block.audience);
    const [rendered, blockAudiences] = await Promise.all([
      Promise.all(doc.languages.map((language) => this.render(doc, language, context))),
      conditional ? this.deps.blockAudiences?.blockAudienceFacts(doc.blocks, doc.topic) : undefined,
    ]);
    return checkBulletin(doc, context, rendered, {
      publicUrl: this.deps.publicUrl,
      mediaUrl: this.deps.mediaUrl,
      ...(translations ? { translations } : {}),
      ...(blockAudiences ? { blockAudiences } : {}),
    });
  }
}

/**
 * What the bulletin's content made the renderer throw is the editor's to mend, not a server fault:
 * a 422 whose finding blocks sending like any other check's.
 */
async function rendering<T>(language: string, render: () => T | Promise<T>): Promise<T> {
  try {
    return await render();
  } catch (err) {
    const message = `The bulletin could not be rendered in ${languageName(language)}: ${(err as Error).message}`;
    const finding: Finding = { level: 'error', code: 'render_failed', message, language };
    throw new AppError('unprocessable', message, undefined, { findings: [finding] });
  }
}
