// The organisation's settings: one row, merged over the defaults.
import type { Kysely } from 'kysely';
import { nowIso, parseJson, type Tables } from '../db/schema.js';
import {
  DEFAULT_SETTINGS,
  type Settings,
  type SettingsPatch,
  settingsPatchSchema,
  settingsSchema,
} from './settings.js';

export class SettingsStore {
  private readonly schema: ReturnType<typeof settingsSchema>;
  /** What a change may hold: the logo may be an image of the media library, at `mediaUrl`. */
  readonly patchSchema: ReturnType<typeof settingsPatchSchema>;

  constructor(
    private readonly db: Kysely<Tables>,
    mediaUrl?: string,
  ) {
    this.schema = settingsSchema(mediaUrl);
    this.patchSchema = settingsPatchSchema(mediaUrl);
  }

  async get(): Promise<Settings> {
    const row = await this.db.selectFrom('settings').select('data').where('id', '=', 1).executeTakeFirst();
    return { ...DEFAULT_SETTINGS, ...(row ? parseJson<Partial<Settings>>(row.data) : {}) };
  }

  /** Merges the fields given over the current settings. */
  async update(patch: SettingsPatch): Promise<Settings> {
    const next = this.schema.parse({ ...(await this.get()), ...patch });
    const data = JSON.stringify(next);
    const updated_at = nowIso();
    await this.db
      .insertInto('settings')
      .values({ id: 1, data, updated_at })
      .onConflict((oc) => oc.column('id').doUpdateSet({ data, updated_at }))
      .execute();
    return next;
  }
}
