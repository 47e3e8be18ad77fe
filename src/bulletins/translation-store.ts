// What staff said about a bulletin's translations (languages ready, translations still correct),
// and each text's history read from the versions, kept per bulletin so a check reads only the
// versions saved since the last one.
import type { Kysely } from 'kysely';
import { nowIso, type Tables } from '../db/schema.js';
import type { BulletinStore } from './bulletin-store.js';
import {
  confirmationKey,
  extendHistory,
  type TextHistory,
  textSha256,
  type TranslationState,
} from './translation-history.js';

/** Bulletins whose history stays in memory; the least recently checked goes first. */
const HISTORIES_KEPT = 100;

export class TranslationStore {
  private readonly histories = new Map<number, TextHistory>();

  constructor(
    private readonly db: Kysely<Tables>,
    private readonly bulletins: BulletinStore,
  ) {}

  async state(bulletinId: number): Promise<TranslationState> {
    const [history, ready, confirmations] = await Promise.all([
      this.history(bulletinId),
      this.ready(bulletinId),
      this.db
        .selectFrom('translation_confirmations')
        .select(['field', 'language', 'fallback_sha256'])
        .where('bulletin_id', '=', bulletinId)
        .execute(),
    ]);
    const keys = confirmations.map((c) => confirmationKey(c.field, c.language, c.fallback_sha256));
    return { history, ready, confirmations: new Set(keys) };
  }

  /** The languages marked ready, in code order. */
  async ready(bulletinId: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('bulletin_ready_languages')
      .select('language')
      .where('bulletin_id', '=', bulletinId)
      .orderBy('language')
      .execute();
    return rows.map((row) => row.language);
  }

  async markReady(bulletinId: number, language: string, markedBy: string | null): Promise<void> {
    await this.db
      .insertInto('bulletin_ready_languages')
      .values({ bulletin_id: bulletinId, language, marked_by: markedBy, marked_at: nowIso() })
      .onConflict((oc) => oc.columns(['bulletin_id', 'language']).doNothing())
      .execute();
  }

  async unmarkReady(bulletinId: number, language: string): Promise<void> {
    await this.db
      .deleteFrom('bulletin_ready_languages')
      .where('bulletin_id', '=', bulletinId)
      .where('language', '=', language)
      .execute();
  }

  /** The `language` translation of `field` is still correct for this fallback text. */
  async confirm(
    bulletinId: number,
    { field, language, fallbackText }: { field: string; language: string; fallbackText: string },
    confirmedBy: string | null,
  ): Promise<void> {
    const fallbackSha256 = textSha256(fallbackText);
    await this.db
      .insertInto('translation_confirmations')
      .values({
        bulletin_id: bulletinId,
        field,
        language,
        fallback_sha256: fallbackSha256,
        confirmed_by: confirmedBy,
        confirmed_at: nowIso(),
      })
      .onConflict((oc) => oc.columns(['bulletin_id', 'field', 'language', 'fallback_sha256']).doNothing())
      .execute();
  }

  /** Versions are never changed, so a history kept is extended with the newer ones only. */
  private async history(bulletinId: number): Promise<TextHistory> {
    const kept = this.histories.get(bulletinId);
    const history = extendHistory(kept, await this.bulletins.versionsAfter(bulletinId, kept?.version ?? 0))!;
    this.histories.delete(bulletinId);
    this.histories.set(bulletinId, history);
    if (this.histories.size > HISTORIES_KEPT) this.histories.delete(this.histories.keys().next().value!);
    return history;
  }
}
