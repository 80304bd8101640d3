/** Every page's URL: the pattern's groups become the page's params. */
import type { Page } from './page.ts';
import { customerPage, customerSearch } from './pages/customer.ts';
import { customerErase, customerExport, customerLift } from './pages/customer-rights.ts';
import { journeyFilePage, journeyPage } from './pages/journey.ts';
import { journeysPage } from './pages/journeys.ts';
import { launchFormPage, launchPostPage, launchProgressPage } from './pages/launch.ts';
import { operationsPage, redrivePage } from './pages/operations.ts';
import { reportsPage } from './pages/reports.ts';
import { segmentExport, segmentPage, segmentsPage } from './pages/segments.ts';
import { templatePage, templatesPage } from './pages/templates.ts';

export interface Route {
  readonly method: 'GET' | 'POST';
  readonly pattern: RegExp;
  readonly page: Page;
}

const NAME = '([a-z][a-z0-9-]{0,40})';

export const ROUTES: readonly Route[] = [
  { method: 'GET', pattern: /^\/journeys$/, page: journeysPage },
  { method: 'GET', pattern: new RegExp(`^/journeys/${NAME}$`), page: journeyPage },
  { method: 'GET', pattern: new RegExp(`^/journeys/${NAME}/file$`), page: journeyFilePage },
  { method: 'GET', pattern: new RegExp(`^/journeys/${NAME}/launch$`), page: launchFormPage },
  { method: 'POST', pattern: new RegExp(`^/journeys/${NAME}/launch$`), page: launchPostPage },
  { method: 'GET', pattern: new RegExp(`^/journeys/${NAME}/launches/([A-Za-z0-9_-]{1,40})$`), page: launchProgressPage },
  { method: 'GET', pattern: /^\/customers$/, page: customerSearch },
  { method: 'GET', pattern: /^\/customers\/([^/]+)$/, page: customerPage },
  { method: 'GET', pattern: /^\/customers\/([^/]+)\/export$/, page: customerExport },
  { method: 'POST', pattern: /^\/customers\/([^/]+)\/erase$/, page: customerErase },
  { method: 'POST', pattern: /^\/customers\/([^/]+)\/lift-suppression$/, page: customerLift },
  { method: 'GET', pattern: /^\/segments$/, page: segmentsPage },
  { method: 'GET', pattern: new RegExp(`^/segments/${NAME}$`), page: segmentPage },
  { method: 'GET', pattern: new RegExp(`^/segments/${NAME}/members\\.csv$`), page: segmentExport },
  { method: 'GET', pattern: /^\/templates$/, page: templatesPage },
  { method: 'GET', pattern: new RegExp(`^/templates/${NAME}$`), page: templatePage },
  { method: 'GET', pattern: /^\/reports$/, page: reportsPage },
  { method: 'GET', pattern: /^\/operations$/, page: operationsPage },
  { method: 'POST', pattern: /^\/operations\/redrive$/, page: redrivePage },
];
