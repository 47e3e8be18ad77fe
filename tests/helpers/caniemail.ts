// What caniemail.com says a mail's HTML uses that a mail client does not support. doiuse-email
// finds the features (elements, attributes, CSS properties, selectors, at-rules) and judges each
// client by its newest tested version; Outlook on Windows is judged here at every Word-rendered
// version instead (2007 on), because they differ (max-width, for one, came with 2019).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DoIUseEmail } from 'doiuse-email';

/** The clients doiuse-email judges, as it names them; Outlook on Windows is judged below. */
const CLIENTS = ['gmail.*', 'outlook.windows-mail', 'apple-mail.*', 'yahoo.*'];
/** Outlook's versions from 2007 on render with Word; 2003 rendered with Internet Explorer. */
const FIRST_WORD_OUTLOOK = '2007';

export interface Unsupported {
  /** caniemail's name of the feature, e.g. "@media" or "border-radius". */
  feature: string;
  /** e.g. "gmail.ios", or "outlook.windows 2013" for one Word-rendered Outlook. */
  client: string;
}

interface Feature {
  stats: Record<string, Record<string, Record<string, string>>>;
}

const packageDir = dirname(createRequire(import.meta.url).resolve('doiuse-email'));
const FEATURES = new Map(
  (
    JSON.parse(readFileSync(join(packageDir, 'data/can-i-email.json'), 'utf8')) as {
      data: (Feature & { title: string })[];
    }
  ).data.map((f) => [f.title, f]),
);

/** doiuse-email's own check, keeping the names of the features it looked up along the way. */
class FeatureFinder extends DoIUseEmail {
  readonly found = new Set<string>();
  override checkFeaturesSupport(titles: string | string[]): void {
    for (const title of [titles].flat()) this.found.add(title);
    super.checkFeaturesSupport(titles);
  }
}

/**
 * Each feature of the HTML a client does not support, once per client: Gmail, Apple Mail and Yahoo
 * on every platform, Windows Mail, and each Word-rendered Outlook for Windows.
 */
export function unsupportedFeatures(html: string): Unsupported[] {
  const finder = new FeatureFinder({ emailClients: CLIENTS });
  const result = finder.check(html);
  const found = new Map<string, Unsupported>();
  const add = (feature: string, client: string) => found.set(`${feature} ${client}`, { feature, client });
  for (const error of result.success ? [] : result.errors) {
    const [, feature, client] = /^`(.+)` is not supported by `(.+)`$/.exec(error) ?? [];
    if (!feature || !client) throw new Error(`doiuse-email said something unexpected: ${error}`);
    add(feature, client);
  }
  for (const title of finder.found) {
    const versions = FEATURES.get(title)?.stats.outlook?.windows ?? {};
    for (const [version, support] of Object.entries(versions))
      if (version >= FIRST_WORD_OUTLOOK && support.startsWith('n')) add(title, `outlook.windows ${version}`);
  }
  return [...found.values()];
}
