/**
 * The policy: an explicit registry of one rule file per subject, and the ability built from it.
 * `buildAbility` is the only way abilities are made, for single-object checks and SQL alike.
 */
import { AbilityBuilder, createMongoAbility } from '@casl/ability';
import { defineAuditRules } from './audit.ts';
import { defineGovernanceRules } from './governance.ts';
import { defineOrgUnitRules } from './org-unit.ts';
import { definePersonRules } from './person.ts';
import { defineReportRules } from './report.ts';
import { ACTIONS, type AppAbility } from './subjects.ts';
import type { Viewer } from './viewer.ts';

export type DefineRules = (builder: AbilityBuilder<AppAbility>, viewer: Viewer) => void;

/** Every subject's rules, in one list a test can enumerate. */
export const RULE_FILES: readonly { readonly subject: string; readonly define: DefineRules }[] = [
  { subject: 'Report', define: defineReportRules },
  { subject: 'Person', define: definePersonRules },
  { subject: 'OrgUnit', define: defineOrgUnitRules },
  { subject: 'AuditEvent', define: defineAuditRules },
  { subject: 'Governance', define: defineGovernanceRules },
];

export function buildAbility(viewer: Viewer): AppAbility {
  const builder = new AbilityBuilder<AppAbility>(createMongoAbility);
  for (const file of RULE_FILES) file.define(builder, viewer);
  return builder.build();
}

/**
 * Benchmark only (BENCH_ALLOW_ALL, refused outside AUTH_MODE=dev): every action on the data
 * subjects, no condition, so that list and aggregate scopes compile to no condition at all. It measures what
 * the policy conditions cost; it is never a fallback.
 */
export function buildAllowAllAbility(): AppAbility {
  const builder = new AbilityBuilder<AppAbility>(createMongoAbility);
  builder.can([...ACTIONS], ['Report', 'Person', 'OrgUnit', 'AuditEvent']);
  return builder.build();
}

export type { Action, AppAbility, SubjectType } from './subjects.ts';
export type { Viewer } from './viewer.ts';
