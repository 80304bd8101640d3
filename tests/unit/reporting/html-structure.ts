/**
 * A small check that a generated page is well-formed enough for the reporting tests: every
 * element that is opened is closed, in order, apart from HTML's void elements and `<x/>`.
 */

const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/** The problems found, empty when every tag is balanced. */
export function unbalancedTags(page: string): string[] {
  const problems: string[] = [];
  const open: string[] = [];
  const body = page.replace(/<!DOCTYPE[^>]*>/i, '').replace(/<style>[\s\S]*?<\/style>/g, '<style></style>');
  for (const match of body.matchAll(/<(\/?)([a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g)) {
    const [, closing, rawName = '', rest = ''] = match;
    const name = rawName.toLowerCase();
    if (closing) {
      const top = open.pop();
      if (top !== name) problems.push(`</${name}> closes <${top ?? 'nothing'}> at ${match.index}`);
    } else if (!VOID_ELEMENTS.has(name) && !rest.trimEnd().endsWith('/')) {
      open.push(name);
    }
  }
  if (open.length > 0) problems.push(`never closed: ${open.join(', ')}`);
  return problems;
}

export function count(text: string, part: string): number {
  return text.split(part).length - 1;
}
