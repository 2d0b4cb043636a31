/** The audit trail: every mutation, refusal and privileged operation, hash-chained. */
import { IsOptional, MaxLength } from 'class-validator';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar, JSONScalar } from '../scalars.ts';
import { connectionOf } from './connection.ts';

export enum AuditDecision {
  ALLOW = 'ALLOW',
  DENY = 'DENY',
}
registerEnumType(AuditDecision, { name: 'AuditDecision', description: 'Whether the audited request was allowed.' });

@ObjectType({ simpleResolvers: true, description: 'One audited event. `hash` covers every other column, `prevHash` included.' })
export class AuditEvent {
  @Field(() => ID, { description: 'Position in the chain.' })
  id!: number;

  @Field(() => DateTimeScalar, { description: 'When it happened.' })
  occurredAt!: Date;

  @Field(() => String, { nullable: true, description: 'Person id of the actor (null for operators and services).' })
  actorId!: string | null;

  @Field(() => String, { nullable: true, description: 'Token subject of the actor, or the operator tool.' })
  actorSubject!: string | null;

  @Field(() => String, { description: 'Dotted action, e.g. report.publish, org.import.' })
  action!: string;

  @Field(() => String, { description: 'Subject type, e.g. Report.' })
  subjectType!: string;

  @Field(() => String, { nullable: true, description: 'Subject id.' })
  subjectId!: string | null;

  @Field(() => AuditDecision, { description: 'ALLOW or DENY.' })
  decision!: AuditDecision;

  @Field(() => String, { nullable: true, description: 'Why it was refused, or the reason given.' })
  reason!: string | null;

  @Field(() => String, { nullable: true, description: 'Request id (also in the logs).' })
  requestId!: string | null;

  @Field(() => String, { nullable: true, description: 'Trace id.' })
  traceId!: string | null;

  @Field(() => String, { nullable: true, description: 'Policy version that decided.' })
  policyVersion!: string | null;

  @Field(() => JSONScalar, { description: 'Structured details: changed field names, counts; never report content.' })
  details!: unknown;

  @Field(() => String, { nullable: true, description: 'SHA-256 of this row.' })
  hash!: string | null;

  @Field(() => String, { nullable: true, description: 'Hash of the previous row.' })
  prevHash!: string | null;
}

export const AuditEventConnection = connectionOf(AuditEvent, 'AuditEvent');

@InputType({ description: 'Narrows the audit trail.' })
export class AuditFilter {
  @Field(() => ID, { nullable: true, description: 'Actor person id.' })
  @IsOptional()
  @MaxLength(200)
  actorId?: string | null;

  @Field(() => String, { nullable: true, description: 'Exact action, e.g. report.publish.' })
  @IsOptional()
  @MaxLength(100)
  action?: string | null;

  @Field(() => String, { nullable: true, description: 'Subject type.' })
  @IsOptional()
  @MaxLength(100)
  subjectType?: string | null;

  @Field(() => String, { nullable: true, description: 'Subject id.' })
  @IsOptional()
  @MaxLength(200)
  subjectId?: string | null;

  @Field(() => AuditDecision, { nullable: true, description: 'ALLOW or DENY.' })
  decision?: AuditDecision | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'At or after.' })
  from?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Before.' })
  to?: Date | null;
}
