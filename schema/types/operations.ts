/** Operations for admins and analysts: the rollout gate (`readiness`) and usage analytics (`usageStats`). */
import { Field, Float, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../scalars.ts';

export enum ReadinessStatus {
  PASS = 'PASS',
  FAIL = 'FAIL',
  SKIP = 'SKIP',
}
registerEnumType(ReadinessStatus, {
  name: 'ReadinessStatus',
  description: 'Outcome of a rollout-gate check or area; SKIP (not evaluated, with the reason) does not fail the gate.',
});

export enum ReadinessArea {
  IDENTITY = 'IDENTITY',
  ORG_TRUTH = 'ORG_TRUTH',
  RUNTIME = 'RUNTIME',
  TELEMETRY = 'TELEMETRY',
  AUDIT = 'AUDIT',
}
registerEnumType(ReadinessArea, { name: 'ReadinessArea', description: 'An area of the rollout gate.' });

@ObjectType({ simpleResolvers: true, description: 'One check of the rollout gate.' })
export class ReadinessCheckResult {
  @Field(() => String, { description: 'What was checked, e.g. "issuer reachable".' })
  name!: string;

  @Field(() => ReadinessStatus, { description: 'PASS, FAIL or SKIP.' })
  status!: ReadinessStatus;

  @Field(() => String, { description: 'Why, in words an operator can act on.' })
  reason!: string;
}

@ObjectType({ simpleResolvers: true, description: 'One area of the rollout gate: FAIL when any of its checks fails.' })
export class ReadinessAreaResult {
  @Field(() => ReadinessArea, { description: 'The area.' })
  area!: ReadinessArea;

  @Field(() => ReadinessStatus, { description: 'FAIL when a check fails, SKIP when every check was skipped, else PASS.' })
  status!: ReadinessStatus;

  @Field(() => String, { description: 'The first failing check and its reason, or a summary.' })
  reason!: string;

  @Field(() => [ReadinessCheckResult], { description: 'Every check of the area.' })
  checks!: ReadinessCheckResult[];
}

@ObjectType({ simpleResolvers: true, description: 'The rollout gate, evaluated now: whether broader rollout may proceed.' })
export class ReadinessReport {
  @Field(() => Boolean, { description: 'True when no area fails (skipped areas are listed but do not fail the gate).' })
  ready!: boolean;

  @Field(() => DateTimeScalar, { description: 'When the gate was evaluated.' })
  evaluatedAt!: Date;

  @Field(() => [ReadinessAreaResult], { description: 'Identity, org truth, runtime, telemetry and audit, in that order.' })
  areas!: ReadinessAreaResult[];
}

export enum UsageDimension {
  DAY = 'DAY',
  OPERATION = 'OPERATION',
  CLIENT = 'CLIENT',
  ROLE = 'ROLE',
}
registerEnumType(UsageDimension, { name: 'UsageDimension', description: 'What to group usage by.' });

@ObjectType({
  simpleResolvers: true,
  description:
    'Requests in one group, from the usage rollups (written by each gateway about once a minute). A dimension is set only when grouped by it.',
})
export class UsageBucket {
  @Field(() => DateTimeScalar, { nullable: true, description: 'Start of the UTC day; set when grouped by DAY.' })
  day!: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'Operation name when registered, `anonymous` for unnamed operations, `other` for any other name; set when grouped by OPERATION.',
  })
  operation!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Client name (apollographql-client-name) when listed in KNOWN_CLIENTS, else `other`; set when grouped by CLIENT.',
  })
  client!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The caller's most privileged role (admin, auditor, analyst, manager, builder, member, a service role, or none); set when grouped by ROLE.",
  })
  role!: string | null;

  @Field(() => Float, { description: 'Requests (a whole number).' })
  requests!: number;

  @Field(() => Float, { description: 'Requests whose response carried an error (a whole number).' })
  errors!: number;

  @Field(() => Float, { nullable: true, description: 'Mean latency, in milliseconds.' })
  meanMs!: number | null;

  @Field(() => Float, { nullable: true, description: 'Median latency, in milliseconds (estimated from the latency histogram).' })
  p50Ms!: number | null;

  @Field(() => Float, { nullable: true, description: '90th percentile latency, in milliseconds (estimated).' })
  p90Ms!: number | null;

  @Field(() => Float, { nullable: true, description: '95th percentile latency, in milliseconds (estimated).' })
  p95Ms!: number | null;

  @Field(() => Float, { nullable: true, description: '99th percentile latency, in milliseconds (estimated).' })
  p99Ms!: number | null;

  @Field(() => Float, { nullable: true, description: 'Slowest request, in milliseconds.' })
  maxMs!: number | null;
}
