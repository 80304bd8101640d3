/** The small HTML pages behind the links in emails (preferences, survey answers): plain, escaped. */
import { escapeHtml } from '../reporting/html-escape.ts';

export { escapeHtml };

/** `body` is HTML the caller built (escaping what it inserted); brand and title are escaped here. */
export function linkPage(brand: string, title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222}h1{font-size:1.4rem}label{display:block;margin:.6rem 0}button{margin-top:1rem;padding:.5rem 1rem}</style></head>
<body><p>${escapeHtml(brand)}</p><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

export const invalidLinkPage = (brand: string): { status: number; html: string } => ({
  status: 403,
  html: linkPage(brand, 'This link is not valid', '<p>The link may be old or incomplete. Use the link in a recent email, or contact us.</p>'),
});
