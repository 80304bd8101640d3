/** What a page gets (the request, the language, the store and the definitions) and what it answers. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { VNode } from 'preact';
import type { Target } from '#cli/target.ts';
import type { Definitions } from '#infra/definitions.ts';
import type { Identity } from './auth/roles.ts';
import type { Lang, Translate } from './i18n.ts';
import type { LaunchJobs } from './launches.ts';

export interface PageContext {
  readonly url: URL;
  readonly method: string;
  /** The path's parts after the route's prefix, decoded. */
  readonly params: readonly string[];
  /** A POSTed form's fields. */
  readonly form: URLSearchParams;
  readonly lang: Lang;
  readonly t: Translate;
  /** The local cloud or stack the console reads and acts on, resolved for this request (its clock moves). */
  readonly target: Target;
  readonly store: { readonly ddb: DynamoDBDocumentClient; readonly tableName: string };
  readonly definitions: Definitions;
  readonly launches: LaunchJobs;
  /** Who asks: the page may record it (a suppression lifted by…); the route already checked the permission. */
  readonly identity: Identity;
}

export type PageResult =
  | {
      readonly kind: 'page';
      readonly title: string;
      readonly body: VNode;
      readonly status?: number /** Seconds until the page reloads itself (a launch in progress). */;
      readonly refresh?: number;
    }
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'download'; readonly type: string; readonly filename: string; readonly body: string }
  /** A small answer for the page's own script (a launch's progress). */
  | { readonly kind: 'json'; readonly body: unknown; readonly status?: number };

export type Page = (context: PageContext) => Promise<PageResult>;

export const page = (title: string, body: VNode, extra: { status?: number; refresh?: number } = {}): PageResult => ({ kind: 'page', title, body, ...extra });
