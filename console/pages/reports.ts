/**
 * `/reports`: the lifecycle report — funnel, journey results, support, CSAT and NPS over time —
 * built and drawn by the same code as `lifecycle report --html`, shown in a frame of its own.
 */
import { measuresLift } from '#shared/journeys/definition.ts';
import { buildReport } from '#shared/reporting/build-report.ts';
import { collectReportData } from '#shared/reporting/collect-report-data.ts';
import { renderHtml } from '#shared/reporting/render-html.ts';
import { html } from '../html.ts';
import { page, type Page } from '../page.ts';

export const reportsPage: Page = async (context) => {
  const data = await collectReportData({
    ...context.store,
    now: new Date(context.target.now()),
    // As `lifecycle report` names it: the local cloud's endpoint, or the deployed stack's table.
    source: context.target.endpoint ? `local cloud at ${context.target.endpoint}` : `stack table ${context.target.tableName}`,
    journeys: context.definitions.journeys.map((journey) => ({ name: journey.name, version: journey.version, measuresLift: measuresLift(journey) })),
  });
  const report = renderHtml(buildReport(data));
  // A sandboxed frame: the report keeps its own styles, and runs nothing.
  return page(context.t('reports.title'), html`<iframe class="report-frame" title=${context.t('reports.title')} sandbox="" srcdoc=${report}></iframe>`);
};
