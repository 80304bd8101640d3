import { describe, expect, it } from 'vitest';
import { buildReport } from '#shared/reporting/build-report.ts';
import { escapeHtml, html } from '#shared/reporting/html-escape.ts';
import { renderHtml } from '#shared/reporting/render-html.ts';
import { count, unbalancedTags } from './html-structure.ts';
import { emptyData, journeyStats, sampleData } from './sample-report-data.ts';

const hostile = '<script>alert(1)</script>';
const data = {
  ...sampleData,
  journeys: [...sampleData.journeys, journeyStats(hostile, { entered: 4, converted: 1, treatment: { entered: 4, converted: 1, rate: 0.25 } })],
  support: [...sampleData.support, { requestedAt: '2025-01-10T00:00:00Z', channel: 'web & "app"', outcome: 'escalated' as const }],
};
const page = renderHtml(buildReport(data));
const CHARTS = 6; // funnel, days in stage, journey conversion, automation rate, CSAT by week, NPS by week

describe('the report page', () => {
  it('is one well-formed document', () => {
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(count(page, '<html')).toBe(1);
    expect(count(page, '</html>')).toBe(1);
    expect(count(page, '<head>')).toBe(1);
    expect(count(page, '<body>')).toBe(1);
    expect(unbalancedTags(page)).toEqual([]);
  });

  it('draws each chart as an svg with balanced elements, a title and an accessible name', () => {
    expect(count(page, '<svg')).toBe(CHARTS);
    expect(count(page, '</svg>')).toBe(CHARTS);
    const charts = [...page.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((match) => match[0]);
    expect(charts).toHaveLength(CHARTS);
    for (const chart of charts) {
      expect(unbalancedTags(chart)).toEqual([]);
      for (const tag of ['g', 'text', 'title', 'desc']) expect(count(chart, `<${tag}>`) + count(chart, `<${tag} `)).toBe(count(chart, `</${tag}>`));
      const id = /aria-labelledby="([\w-]+)-title \1-desc"/.exec(chart)?.[1];
      expect(id, chart.slice(0, 200)).toBeDefined();
      expect(chart).toContain(`<title id="${id}-title">`);
      expect(chart).toContain(`<desc id="${id}-desc">`);
      expect(chart).toContain('role="img"');
      expect(chart).toContain('class="chart-title"');
    }
    // Every chart but the donut has two axis titles.
    expect(charts.filter((chart) => count(chart, 'class="axis-title"') === 2)).toHaveLength(CHARTS - 1);
  });

  it('fetches nothing and runs nothing', () => {
    expect(page).not.toMatch(/https?:\/\//);
    expect(page).not.toContain('<script');
    expect(page).not.toMatch(/\bsrc=/);
    expect(page).not.toMatch(/\bhref=/);
    expect(page).not.toContain('@import');
    expect(page).not.toContain('url(');
    expect(page).not.toMatch(/<(link|img|iframe|object|embed)\b/);
    expect(page).not.toMatch(/\son\w+=/); // no event handler attributes
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it('shows the source only as text, even when it is an address', () => {
    const local = renderHtml(buildReport(emptyData));
    expect(local).toContain('local cloud at http://127.0.0.1:4566');
    expect(local.replaceAll('local cloud at http://127.0.0.1:4566', '')).not.toMatch(/https?:\/\//);
  });

  it('escapes text from the data', () => {
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; v1');
    expect(page).not.toContain(hostile);
    expect(page).toContain('chat &amp; phone');
    expect(page).not.toContain('chat & phone');
    expect(page).toContain('web &amp; &quot;app&quot;');
    const hostileSource = renderHtml(buildReport({ ...emptyData, source: '"><b onclick=x>stack</b>' }));
    expect(hostileSource).toContain('&quot;&gt;&lt;b onclick=x&gt;stack&lt;/b&gt;');
    expect(hostileSource).not.toContain('<b onclick');
  });

  it('shows the key figures', () => {
    expect(page).toContain('83.3% of discover'); // research: 5 of 6 who reached discover
    expect(page).toContain('33.3% of use'); // retain: 1 of 3
    expect(page).toContain('3.5 d'); // median days in discover
    expect(page).toContain('27.5% (22/80)'); // welcome's treatment
    expect(page).toContain('10.0% (2/20)'); // welcome's holdout
    expect(page).toContain('+175.0%'); // welcome's lift
    expect(page).toContain('42.9%'); // automation rate: 3 auto-answered of 7 acted on (the hostile request is escalated)
    expect(page).toContain('no holdout step'); // cart-recovery treats every run
    expect(page).toContain('no-consent 2, too-old 1 · 1 deferred'); // emails not sent, by reason
    expect(page).toContain('1.5 h'); // escalated p50: 5400 s
    expect(page).toContain('3.80'); // CSAT
    expect(page).toContain('+16.7'); // NPS
    expect(page).toContain('2025-W03');
    expect(page).toContain('stack Lifecycle-prod');
    expect(page).toContain('2025-01-27 09:30 UTC');
  });

  it('renders an empty report with no data shown, never NaN', () => {
    const empty = renderHtml(buildReport(emptyData));
    expect(unbalancedTags(empty)).toEqual([]);
    expect(count(empty, '<svg')).toBe(CHARTS);
    expect(empty).not.toMatch(/NaN|undefined|Infinity/);
    expect(empty).toContain('no data');
    expect(empty).toContain('No journeys have run.');
  });
});

describe('escaping', () => {
  it('escapes the five characters that matter in text and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('escapes values put into html, keeps markup made by html, and joins lists', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'"'}">${inner}${['&', 1]}${null}${false}</p>`.toString()).toBe('<p title="&quot;"><b>&lt;i&gt;</b>&amp;1</p>');
  });
});
