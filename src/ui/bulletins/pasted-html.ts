// HTML pasted from Word or Google Docs, made plain enough for the editor's schema to read as the
// bulletin's subset. The schema itself drops styles, classes, colours and fonts, reads
// font-weight:700 and font-style:italic spans as bold and italic, and ignores Google Docs' outer
// <b style="font-weight:normal">; what it cannot know is Word's lists, written as paragraphs.

/**
 * Word's list paragraphs ("mso-list" in their style) become <ul>/<ol> items without their typed
 * markers; Google Docs' <br> between paragraphs, which would be empty paragraphs, go.
 */
export function cleanPastedHtml(html: string): string {
  const fromWord = /mso-list/i.test(html);
  const fromDocs = /docs-internal-guid/.test(html);
  if (!fromWord && !fromDocs) return html;
  const document = new DOMParser().parseFromString(html, 'text/html');
  if (fromWord) wordLists(document);
  for (const br of Array.from(document.querySelectorAll('[id^="docs-internal-guid"] > br'))) br.remove();
  return document.body.innerHTML;
}

function wordLists(document: Document) {
  let list: HTMLElement | undefined;
  for (const paragraph of Array.from(document.body.querySelectorAll<HTMLElement>('p'))) {
    const style = paragraph.getAttribute('style') ?? '';
    if (!/mso-list:\s*l\d/i.test(style)) {
      list = undefined;
      continue;
    }
    const marker = paragraph.querySelector<HTMLElement>('[style*="mso-list:Ignore" i]');
    const markerText = marker?.textContent?.trim() ?? '';
    (marker?.parentElement?.childElementCount === 1 && marker.parentElement !== paragraph
      ? marker.parentElement
      : marker
    )?.remove();
    const kind = /^[0-9a-z]{1,3}[.)]$/i.test(markerText) ? 'ol' : 'ul';
    if (!list || list.tagName.toLowerCase() !== kind || list.nextElementSibling !== paragraph) {
      list = document.createElement(kind);
      paragraph.before(list);
    }
    const item = document.createElement('li');
    item.append(...Array.from(paragraph.childNodes));
    list.append(item);
    paragraph.remove();
  }
}
