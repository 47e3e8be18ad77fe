// Reads a From header's display name back as a mail reader does, written from RFC 5322 and
// RFC 2047 rather than from our encoder: a quoted-string unescaped, or B-encoded words decoded
// and joined (the spaces between them dropped).
export function readDisplayName(header: string): string {
  const name = /^(.*) <[^<>\s]+>$/s.exec(header)?.[1];
  if (name === undefined) throw new Error(`no display name in ${JSON.stringify(header)}`);
  const quoted = /^"((?:[^"\\\r\n]|\\.)*)"$/.exec(name);
  if (quoted) return quoted[1]!.replace(/\\(.)/g, '$1');
  const words = name.split(' ');
  for (const word of words) {
    if (!/^=\?UTF-8\?B\?[A-Za-z0-9+/]+={0,2}\?=$/.test(word))
      throw new Error(`not an encoded-word: ${JSON.stringify(word)}`);
    if (word.length > 75) throw new Error(`an encoded-word longer than 75 characters: ${word}`);
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(
    Buffer.concat(words.map((word) => Buffer.from(word.slice('=?UTF-8?B?'.length, -2), 'base64'))),
  );
}
