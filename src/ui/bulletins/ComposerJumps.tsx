// Where the composer is one column (a phone, a narrow window), the checks and preview come after
// every block: this bar stays at the top of the screen and goes to them, and back to the blocks.
import type { MouseEvent } from 'react';
import type { Checks } from './model';

/** The ids of the sections the bar goes to. */
export const COMPOSER_SECTIONS = {
  blocks: 'composer-blocks',
  checks: 'composer-checks',
  preview: 'composer-preview',
} as const;

/** Scrolls to the section and puts focus on its heading, so a keyboard or screen reader follows. */
function goTo(event: MouseEvent<HTMLAnchorElement>, id: string) {
  const section = document.getElementById(id);
  if (!section) return;
  event.preventDefault();
  const heading = section.querySelector<HTMLElement>('h2') ?? section;
  heading.tabIndex = -1;
  section.scrollIntoView({ block: 'start' });
  heading.focus({ preventScroll: true });
}

/** What the checks found, in a word or two: the worst first. */
function ChecksCount({ checks }: { checks: Checks | undefined }) {
  if (!checks) return null;
  const errors = checks.findings.filter((f) => f.level === 'error').length;
  const warnings = checks.findings.length - errors;
  if (errors > 0) return <span className="badge badge-error">{errors === 1 ? '1 error' : `${errors} errors`}</span>;
  if (warnings > 0)
    return <span className="badge badge-warning">{warnings === 1 ? '1 warning' : `${warnings} warnings`}</span>;
  return (
    <span className="badge badge-ok">
      ✓<span className="visually-hidden"> nothing to fix</span>
    </span>
  );
}

/** The links to the blocks, the checks (with what they found) and the preview. */
export function ComposerJumps({ checks }: { checks: Checks | undefined }) {
  return (
    <nav className="composer-jumps" aria-label="Go to">
      <a href={`#${COMPOSER_SECTIONS.blocks}`} onClick={(e) => goTo(e, COMPOSER_SECTIONS.blocks)}>
        Blocks
      </a>
      <a href={`#${COMPOSER_SECTIONS.checks}`} onClick={(e) => goTo(e, COMPOSER_SECTIONS.checks)}>
        Checks <ChecksCount checks={checks} />
      </a>
      <a href={`#${COMPOSER_SECTIONS.preview}`} onClick={(e) => goTo(e, COMPOSER_SECTIONS.preview)}>
        Preview
      </a>
    </nav>
  );
}
