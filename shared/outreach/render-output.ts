/** Final clean-up of rendered parts: a subject that is safe as a header, and tidy plain text. */

export const MAX_SUBJECT_LENGTH = 200;

// C0 and C1 control characters and the Unicode line and paragraph separators: anything a mail
// library or client might treat as a line break inside the Subject header.
const LINE_BREAKS_AND_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/**
 * One line, at most 200 characters. A variable holding "\r\nBcc: …" must not be able to add a
 * header, so every break and control character becomes a space before anything else happens.
 */
export function cleanSubject(rendered: string): string {
  const oneLine = rendered.replace(LINE_BREAKS_AND_CONTROLS, ' ').replace(/\s+/g, ' ').trim();
  return truncate(oneLine, MAX_SUBJECT_LENGTH);
}

/** Cuts by code points (never through a surrogate pair) and marks the cut with an ellipsis. */
function truncate(text: string, max: number): string {
  const characters = Array.from(text);
  if (characters.length <= max) return text;
  return `${characters
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}

/** Liquid tags leave trailing spaces and runs of blank lines behind; readers should not see them. */
export function tidyText(rendered: string): string {
  const lines = rendered.replace(/\r\n?/g, '\n').replace(/[ \t]+$/gm, '');
  return `${lines.replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

/** Drops the blank lines tags leave between elements, and whatever precedes the doctype. */
export function tidyHtml(rendered: string): string {
  return `${rendered
    .replace(/\r\n?/g, '\n')
    .replace(/\n[ \t]*(?=\n)/g, '')
    .trim()}\n`;
}
