/**
 * `lifecycle report --html`: the report as one self-contained page. Styles and charts are inline
 * (SVG), there are no scripts, and nothing is fetched: no fonts, images, links or requests, which
 * the page's content security policy also forbids. Every text from the data is escaped.
 */
import { formatInstant } from './format.ts';
import { html } from './html-escape.ts';
import { journeySection } from './html-journey-section.ts';
import { satisfactionSection } from './html-satisfaction-section.ts';
import { stageSection } from './html-stage-section.ts';
import { REPORT_STYLES } from './html-styles.ts';
import { summaryTiles } from './html-summary-tiles.ts';
import { supportSection } from './html-support-section.ts';
import type { Report } from './report.ts';

export function renderHtml(report: Report): string {
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Lifecycle report — ${report.source}</title>
<style>${REPORT_STYLES}</style>
</head>
<body>
<header>
<h1>Lifecycle report</h1>
<p class="meta">Source: <b>${report.source}</b> · Generated <time datetime="${report.generatedAt}">${formatInstant(report.generatedAt)}</time></p>
</header>
<main>
${summaryTiles(report)}
${stageSection(report)}
${journeySection(report)}
${supportSection(report)}
${satisfactionSection(report)}
</main>
<footer>“—” means no data: a rate with nothing to divide by, a median of no values. Support requests too old to act on are left out of the automation rate; lift needs holdout runs that converted.</footer>
</body>
</html>
`;
  return page.toString();
}
