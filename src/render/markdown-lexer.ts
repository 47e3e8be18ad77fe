// marked's GFM lexer, held to time in proportion to the text and to a nesting depth its recursion
// survives (docs/reliability.md, "Pathological content").
import { getDefaults, Lexer, Tokenizer, type TokensList } from 'marked';

/** Quotes, list items, emphasis, strikethrough and links inside each other: deeper ones read as text. */
export const MAX_NESTING = 10;

/**
 * GFM makes "name@host.org" a mail link: from every place inline text stops (each "_", "*", "!"),
 * marked's `text` and `url` rules scan the run of address characters that follows for an "@". Over
 * "_a_a_a…" that is every run to its end, time in the square of its length (20,000 characters:
 * 0.9 s). An address's local part has at most 64 characters (RFC 5321), so the scan stops there.
 *
 * An address that ends in punctuation loses it (`https://x.org/a).` links `https://x.org/a`):
 * marked's loop takes one character off per pass over the address, so ")" × 20,000 took 0.9 s.
 * Its `_backpedal` rule here keeps a run of punctuation only when more address follows it, so the
 * whole run goes in one pass.
 */
export const INLINE_RULES = (() => {
  const gfm = Lexer.rules.inline.gfm;
  const rewrite = (name: keyof typeof gfm, from: RegExp, to: string) => {
    const source = gfm[name].source.replace(from, to);
    if (source === gfm[name].source) throw new Error(`marked's "${name}" rule has changed: see ${import.meta.url}`);
    return new RegExp(source, gfm[name].flags);
  };
  return {
    ...gfm,
    text: rewrite('text', /\]\+@/g, ']{1,64}@'),
    url: rewrite('url', /\]\+(\(?@)/g, ']{1,64}$1'),
    _backpedal: rewrite('_backpedal', /\[([^\]]+)\]\+\(\?!\$\)/, '[$1]+(?=[^$1])'),
  };
})();

/**
 * marked reads what a quote, a list item, an emphasis, a strikethrough or a link holds by calling
 * itself, so ">" × 2,000 overflowed the stack, and "~~a " × 1,000 read its text 1,000 times over.
 * Past MAX_NESTING they are not read as such, and their marks stay as text.
 */
class BoundedTokenizer extends Tokenizer {
  private depth = 0;

  private nested<T>(read: () => T): T | undefined {
    if (this.depth >= MAX_NESTING) return undefined;
    this.depth += 1;
    try {
      return read();
    } finally {
      this.depth -= 1;
    }
  }

  override blockquote(src: string) {
    return this.nested(() => super.blockquote(src));
  }

  override list(src: string) {
    return this.nested(() => super.list(src));
  }

  override emStrong(src: string, maskedSrc: string, prevChar?: string) {
    return this.nested(() => super.emStrong(src, maskedSrc, prevChar));
  }

  override del(src: string, maskedSrc: string, prevChar?: string) {
    return this.nested(() => super.del(src, maskedSrc, prevChar));
  }

  override link(src: string) {
    return this.nested(() => super.link(src));
  }

  override reflink(src: string, links: Parameters<Tokenizer['reflink']>[1]) {
    return this.nested(() => super.reflink(src, links));
  }
}

/** The tokens of a Markdown text, with GFM. */
export function lexMarkdown(markdown: string): TokensList {
  const tokenizer = new BoundedTokenizer();
  const lexer = new Lexer({ ...getDefaults(), tokenizer });
  // The lexer has just given its tokenizer the rules its options choose (GFM's): ours replace them.
  tokenizer.rules = { ...tokenizer.rules, inline: INLINE_RULES };
  return lexer.lex(markdown);
}
