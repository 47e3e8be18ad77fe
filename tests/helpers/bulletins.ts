// The example bulletin and settings the render tests start from.
import { readFileSync } from 'node:fs';
import { BulletinDocument } from '../../src/bulletins/document.js';
import { EXAMPLE_FILE } from '../../src/bulletins/example.js';
import { DEFAULT_SETTINGS, type Settings } from '../../src/settings/settings.js';

export function exampleBulletin(): BulletinDocument {
  return BulletinDocument.parse(JSON.parse(readFileSync(EXAMPLE_FILE, 'utf8')));
}

export const ORGANISATION: Settings = {
  ...DEFAULT_SETTINGS,
  organisationName: 'National Network for Immigrant and Refugee Rights',
  postalAddress: '310 8th Street, Suite 310, Oakland, CA 94607',
};
