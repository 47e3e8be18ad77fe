// Markup compared by what it means, not by how a renderer spells it: React writes `dateTime`,
// `checked=""` and an input's name after its type, hand-written HTML `datetime`, `checked` and
// any order. Both sides of a comparison go through canonicalHtml.
const START_TAG = /<([a-zA-Z][\w-]*)((?:\s+[^\s"'=/>]+(?:="[^"]*")?)*)\s*\/?>/g;
const ATTRIBUTE = /\s+([^\s"'=/>]+)(?:="([^"]*)")?/g;

/** Each start tag's attributes, names in lower case, in the order written; a bare one has "". */
function attributesOf(written: string): [name: string, value: string][] {
  return [...written.matchAll(ATTRIBUTE)].map(([, name, value]) => [name!.toLowerCase(), value ?? '']);
}

/** The HTML with every start tag in one spelling: lower-case names, sorted, `name=""` for a bare one, no `/>`. */
export function canonicalHtml(html: string): string {
  return html.replace(START_TAG, (_tag, tag: string, written: string) => {
    const attributes = attributesOf(written)
      .map(([name, value]) => ` ${name}="${value}"`)
      .sort();
    return `<${tag.toLowerCase()}${attributes.join('')}>`;
  });
}

/** The attributes of every `tag` start tag in the HTML, e.g. startTags(html, 'input'). */
export function startTags(html: string, tag: string): Record<string, string>[] {
  return [...html.matchAll(START_TAG)]
    .filter(([, name]) => name!.toLowerCase() === tag)
    .map(([, , written]) => Object.fromEntries(attributesOf(written!)));
}
