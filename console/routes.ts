/** Every page's URL: the pattern's groups become the page's params. */
import type { Permission } from './auth/roles.ts';
import type { Page } from './page.ts';
import { customerPage, customerSearch } from './pages/customer.ts';
import { customerErase, customerExport, customerLift } from './pages/customer-rights.ts';
import { journeyFilePage, journeyPage } from './pages/journey.ts';
import { journeysPage } from './pages/journeys.ts';
import { launchFormPage, launchPostPage, launchProgressPage } from './pages/launch.ts';
import { launchProgressJson } from './pages/launch-progress.ts';
import { operationsPage, redrivePage } from './pages/operations.ts';
import { reportsPage } from './pages/reports.ts';
import { segmentExport, segmentPage, segmentsPage } from './pages/segments.ts';
import { templatePage, templatesPage } from './pages/templates.ts';

export interface Route {
  readonly method: 'GET' | 'POST';
  readonly pattern: RegExp;
  readonly page: Page;
  /** What the person asking must be allowed to do (auth/roles.ts). */
  readonly permission: Permission;
}

const NAME = '([a-z][a-z0-9-]{0,40})';

export const ROUTES: readonly Route[] = [
  { method: 'GET', pattern: /^\/journeys$/, page: journeysPage, permission: 'view' },
  { method: 'GET', pattern: new RegExp(`^/journeys/${NAME}$`), page: journeyPage, permission: 'view' },
  { method: 'GET', pattern: new RegExp(`^/journeys/${NAME}/file$`), page: journeyFilePage, permission: 'view' },
  { method: 'GET', pattern: new RegExp(`^/journeys/${NAME}/launch$`), page: launchFormPage, permission: 'view' },
  { method: 'POST', pattern: new RegExp(`^/journeys/${NAME}/launch$`), page: launchPostPage, permission: 'launch' },
  { method: 'GET', pattern: new RegExp(`^/journeys/${NAME}/launches/([A-Za-z0-9_-]{1,40})$`), page: launchProgressPage, permission: 'view' },
  { method: 'GET', pattern: new RegExp(`^/journeys/${NAME}/launches/([A-Za-z0-9_-]{1,40})/progress$`), page: launchProgressJson, permission: 'view' },
  { method: 'GET', pattern: /^\/customers$/, page: customerSearch, permission: 'view' },
  { method: 'GET', pattern: /^\/customers\/([^/]+)$/, page: customerPage, permission: 'view' },
  { method: 'GET', pattern: /^\/customers\/([^/]+)\/export$/, page: customerExport, permission: 'export' },
  { method: 'POST', pattern: /^\/customers\/([^/]+)\/erase$/, page: customerErase, permission: 'erase' },
  { method: 'POST', pattern: /^\/customers\/([^/]+)\/lift-suppression$/, page: customerLift, permission: 'lift-suppression' },
  { method: 'GET', pattern: /^\/segments$/, page: segmentsPage, permission: 'view' },
  { method: 'GET', pattern: new RegExp(`^/segments/${NAME}$`), page: segmentPage, permission: 'view' },
  { method: 'GET', pattern: new RegExp(`^/segments/${NAME}/members\\.csv$`), page: segmentExport, permission: 'view' },
  { method: 'GET', pattern: /^\/templates$/, page: templatesPage, permission: 'view' },
  { method: 'GET', pattern: new RegExp(`^/templates/${NAME}$`), page: templatePage, permission: 'view' },
  { method: 'GET', pattern: /^\/reports$/, page: reportsPage, permission: 'view' },
  { method: 'GET', pattern: /^\/operations$/, page: operationsPage, permission: 'view' },
  { method: 'POST', pattern: /^\/operations\/redrive$/, page: redrivePage, permission: 'redrive' },
];
