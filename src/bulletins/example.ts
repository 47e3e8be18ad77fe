// On an empty database, `npm start` loads the example bulletin as a draft (and its topic), so
// a new user sees a real bilingual bulletin at once.
import { readFile } from 'node:fs/promises';
import type { TopicStore } from '../audience/topic-store.js';
import type { BulletinStore } from './bulletin-store.js';
import { BulletinDocument } from './document.js';
import type { Bulletin } from './schemas.js';

export const EXAMPLE_FILE = new URL('../../examples/launch-petition-100-days.json', import.meta.url);

export async function loadExampleBulletin(stores: {
  bulletins: BulletinStore;
  topics: TopicStore;
}): Promise<Bulletin | undefined> {
  if ((await stores.bulletins.count()) > 0) return undefined;
  const document = BulletinDocument.parse(JSON.parse(await readFile(EXAMPLE_FILE, 'utf8')));
  if (document.topic && (await stores.topics.list()).length === 0) {
    await stores.topics.create({
      key: document.topic,
      name: { en: 'Weekly bulletin', es: 'Boletín semanal' },
      description: {
        en: 'News and actions for immigrant and refugee rights, every week',
        es: 'Noticias y acciones por los derechos de las personas inmigrantes y refugiadas, cada semana',
      },
      public: true,
    });
  }
  return stores.bulletins.create(document, 'Pregón');
}
