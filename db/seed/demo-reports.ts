/**
 * The demo's reports: a handful written by hand for the personas, so that each policy rule has
 * an example to try, and a few hundred generated ones for lists, counts and statistics.
 */
import type { OrgSnapshot } from '../../org/snapshot.ts';
import { DEMO_GENERATED_AT, demoPersonId, demoSnapshot } from './demo.ts';
import { generateReports, type SeedReportRow } from './reports.ts';

export const DEMO_REPORT_COUNT = 300;
const DEMO_REPORTS_SEED = 'demo-reports';
const DAY_MS = 86_400_000;

type Showcase = Pick<SeedReportRow, 'title' | 'status' | 'sensitivity' | 'tags' | 'customerAccounts'> & {
  readonly author: string;
  readonly daysAgo: number;
};

/**
 * Examples for DESIGN §4's read rules: Alan's draft (only he and his managers), submissions in
 * Dorothy's queue, published internal reports (every member), published confidential ones (his
 * unit and analysts, not Sales), and a report by Charles, who has left and still authors it.
 */
const SHOWCASE: readonly Showcase[] = [
  { author: 'alan', title: 'Draft: onboarding notes from the Lisbon workshop', status: 'DRAFT', sensitivity: 'INTERNAL', tags: ['workshop', 'onboarding'], customerAccounts: [], daysAgo: 2 },
  { author: 'alan', title: 'Quota limits hit in Streaming Ingest at Kestrel Aerospace', status: 'IN_REVIEW', sensitivity: 'CONFIDENTIAL', tags: ['escalation'], customerAccounts: ['Kestrel Aerospace'], daysAgo: 5 },
  { author: 'alan', title: 'SDK pain points in the TypeScript SDK', status: 'PUBLISHED', sensitivity: 'INTERNAL', tags: ['sdk', 'docs'], customerAccounts: ['Juniper Games'], daysAgo: 20 },
  { author: 'alan', title: 'Pricing questions about Usage Billing at Harborview Bank', status: 'PUBLISHED', sensitivity: 'CONFIDENTIAL', tags: ['pricing', 'enterprise'], customerAccounts: ['Harborview Bank'], daysAgo: 34 },
  { author: 'alan', title: 'Hackathon findings on Edge Functions (spring)', status: 'ARCHIVED', sensitivity: 'INTERNAL', tags: ['hackathon'], customerAccounts: [], daysAgo: 200 },
  { author: 'joan', title: 'Migration blockers for the Go SDK at Cobalt Freight', status: 'IN_REVIEW', sensitivity: 'INTERNAL', tags: ['migration', 'sdk'], customerAccounts: ['Cobalt Freight'], daysAgo: 3 },
  { author: 'charles', title: 'Analytical engine for Data Pipelines: design feedback', status: 'PUBLISHED', sensitivity: 'INTERNAL', tags: ['data'], customerAccounts: ['Lumen Education'], daysAgo: 120 },
  { author: 'sven', title: 'EMEA partner day: integration feedback on Webhooks', status: 'PUBLISHED', sensitivity: 'CONFIDENTIAL', tags: ['partner'], customerAccounts: ['Fjord Analytics', 'Alder Legal'], daysAgo: 15 },
];

function showcaseReports(snapshot: OrgSnapshot): SeedReportRow[] {
  const now = new Date(DEMO_GENERATED_AT).getTime();
  const units = new Map(snapshot.people.map((person) => [person.id, person.orgUnitId]));
  return SHOWCASE.map((report, index) => {
    const authorId = demoPersonId(report.author);
    const createdAt = now - report.daysAgo * DAY_MS;
    const published = report.status === 'PUBLISHED' || report.status === 'ARCHIVED';
    const publishedAt = published ? createdAt + DAY_MS : null;
    return {
      // Recognisable, fixed ids make the demo scriptable (GraphiQL examples, the README).
      id: `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`,
      title: report.title,
      summary: `Example report by ${authorId} for trying the access rules.`,
      body: 'Written for the demo. Sign in as different personas and compare what each one sees.',
      status: report.status,
      sensitivity: report.sensitivity,
      tags: [...report.tags],
      customerAccounts: [...report.customerAccounts],
      authorId,
      orgUnitId: units.get(authorId) as string,
      createdAt: new Date(createdAt),
      updatedAt: new Date(report.status === 'ARCHIVED' ? createdAt + 30 * DAY_MS : (publishedAt ?? createdAt)),
      publishedAt: publishedAt === null ? null : new Date(publishedAt),
      reviewNote: null,
    };
  });
}

/** The demo's reports, identical on every call: the showcase first, then generated ones. */
export function demoReports(snapshot: OrgSnapshot = demoSnapshot()): SeedReportRow[] {
  const showcase = showcaseReports(snapshot);
  return [...showcase, ...generateReports(snapshot, { count: DEMO_REPORT_COUNT - showcase.length, seed: DEMO_REPORTS_SEED })];
}
