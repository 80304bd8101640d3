/**
 * What the deployed console costs a month: nothing fixed (an HTTP API, Lambda and a user pool bill
 * only use), and per request one API call, two Lambda invocations (the authorizer, then the page),
 * their duration and an access-log line; per person a Cognito monthly active user, free up to the
 * Essentials plan's 10,000. Reads of the table by the pages are not counted: a page reads from a few
 * items (a customer) to a scan (a segment), and at a team's few hundred pages a day either is cents.
 */
import { COGNITO_FREE_MAU, PRICES } from './prices.ts';

/** How a team uses the console. The durations are assumptions, not measurements: say so where they are shown. */
export interface ConsoleUse {
  readonly people: number;
  /** Requests each person makes on a working day (page views, forms, the two static files). */
  readonly requestsPerPersonDay: number;
  readonly workingDaysPerMonth: number;
  /** Billed duration of one page and one authorization, in ms, and the functions' memory in MB. */
  readonly pageMs: number;
  readonly pageMemoryMb: number;
  readonly authorizerMs: number;
  readonly authorizerMemoryMb: number;
  /** Bytes of one access-log line. */
  readonly accessLogBytes: number;
}

/** A marketing team that opens the console a few times a day. */
export const MARKETING_TEAM: ConsoleUse = {
  people: 5,
  requestsPerPersonDay: 60,
  workingDaysPerMonth: 22,
  pageMs: 300,
  pageMemoryMb: 512,
  authorizerMs: 30,
  authorizerMemoryMb: 256,
  accessLogBytes: 250,
};

export interface ConsoleCostLine {
  readonly item: string;
  readonly quantity: number;
  readonly usdPerMonth: number;
  readonly source: string;
}

export function consoleMonthlyCost(use: ConsoleUse): ConsoleCostLine[] {
  const requests = use.people * use.requestsPerPersonDay * use.workingDaysPerMonth;
  const gbSeconds = requests * ((use.pageMs / 1000) * (use.pageMemoryMb / 1024) + (use.authorizerMs / 1000) * (use.authorizerMemoryMb / 1024));
  const logGb = (requests * use.accessLogBytes) / 1024 ** 3;
  const billedUsers = Math.max(0, use.people - COGNITO_FREE_MAU);
  return [
    { item: 'API Gateway HTTP API requests', quantity: requests, usdPerMonth: requests * PRICES.httpApiRequest.usd, source: PRICES.httpApiRequest.source },
    {
      item: 'Lambda requests (authorizer and page)',
      quantity: 2 * requests,
      usdPerMonth: 2 * requests * PRICES.lambdaRequest.usd,
      source: PRICES.lambdaRequest.source,
    },
    { item: 'Lambda GB-seconds (arm64)', quantity: gbSeconds, usdPerMonth: gbSeconds * PRICES.lambdaArmGbSecond.usd, source: PRICES.lambdaArmGbSecond.source },
    { item: 'API access logs ingested (GB)', quantity: logGb, usdPerMonth: logGb * PRICES.logsGigabyte.usd, source: PRICES.logsGigabyte.source },
    {
      item: `Cognito monthly active users above ${COGNITO_FREE_MAU} free`,
      quantity: billedUsers,
      usdPerMonth: billedUsers * PRICES.cognitoEssentialsMau.usd,
      source: PRICES.cognitoEssentialsMau.source,
    },
  ];
}
