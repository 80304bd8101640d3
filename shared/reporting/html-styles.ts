/**
 * The report page's style sheet, inline in the page: system fonts only, a light and a dark
 * palette, chart colours by class (`series-0`, `line-1`, …), and tables with aligned numbers.
 */
import { trustedMarkup } from './html-escape.ts';

export const REPORT_STYLES = trustedMarkup(`
:root {
  color-scheme: light dark;
  --ink: #1d2433; --muted: #5f6b7a; --paper: #ffffff; --panel: #f5f7fa; --rule: #d9dee5;
  --series-0: #3b6fd8; --series-1: #f08c2e; --series-rest: #d5dbe3; --reference: #8a94a3;
}
@media (prefers-color-scheme: dark) {
  :root {
    --ink: #e6e9ee; --muted: #9aa5b4; --paper: #14181f; --panel: #1d232c; --rule: #343c48;
    --series-0: #6e9cf5; --series-1: #f5a85e; --series-rest: #3a4350; --reference: #7d8796;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--paper); color: var(--ink); font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
header, main, footer { max-width: 1360px; margin: 0 auto; padding: 16px 24px; }
header { border-bottom: 1px solid var(--rule); }
h1 { margin: 0 0 4px; font-size: 26px; }
h2 { margin: 32px 0 12px; font-size: 20px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
.meta { margin: 0; color: var(--muted); }
.meta b { color: var(--ink); font-weight: 600; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 12px; margin-top: 16px; }
.tile { background: var(--panel); border-radius: 8px; padding: 12px 14px; }
.tile .label { color: var(--muted); font-size: 13px; }
.tile .value { font-size: 26px; font-weight: 650; font-variant-numeric: tabular-nums; }
.tile .detail { color: var(--muted); font-size: 13px; }
.row { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
.row > * { flex: 1 1 480px; min-width: 0; }
.note { color: var(--muted); font-size: 14px; }
svg.chart { max-width: 100%; height: auto; overflow: visible; font-size: 12px; }
svg.chart text { fill: var(--ink); }
svg.chart .chart-title { font-size: 14px; font-weight: 600; }
svg.chart .axis-title { fill: var(--muted); font-size: 12px; }
svg.chart .tick, svg.chart .muted, svg.chart .step { fill: var(--muted); }
svg.chart .value { font-size: 11px; font-variant-numeric: tabular-nums; }
svg.chart .axis { stroke: var(--ink); stroke-width: 1; }
svg.chart .grid { stroke: var(--rule); stroke-width: 1; }
svg.chart .reference { stroke: var(--reference); stroke-dasharray: 4 3; }
svg.chart .series-0 { fill: var(--series-0); }
svg.chart .series-1 { fill: var(--series-1); }
svg.chart .series-rest { fill: var(--series-rest); }
svg.chart .line-0, svg.chart .line-1 { fill: none; stroke-width: 2.5; stroke-linejoin: round; }
svg.chart .line-0 { stroke: var(--series-0); }
svg.chart .line-1 { stroke: var(--series-1); }
svg.chart .dot-0 { fill: var(--series-0); }
svg.chart .dot-1 { fill: var(--series-1); }
svg.chart .donut-rest, svg.chart .donut-part { fill: none; stroke-width: 26; }
svg.chart .donut-rest { stroke: var(--series-rest); }
svg.chart .donut-part { stroke: var(--series-0); }
svg.chart .donut-value { font-size: 22px; font-weight: 650; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 14px; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding-bottom: 6px; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--rule); text-align: left; }
thead th { color: var(--muted); font-weight: 600; }
tbody th { font-weight: 500; }
.num { text-align: right; }
.muted { color: var(--muted); }
footer { color: var(--muted); font-size: 13px; }
`);
