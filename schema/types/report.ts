/** Reports: the captures Builder Relations writes, reviews and publishes. */
import { ArrayMaxSize, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../scalars.ts';
import { connectionOf } from './connection.ts';

export enum ReportStatus {
  DRAFT = 'DRAFT',
  IN_REVIEW = 'IN_REVIEW',
  PUBLISHED = 'PUBLISHED',
  ARCHIVED = 'ARCHIVED',
}
registerEnumType(ReportStatus, {
  name: 'ReportStatus',
  description: 'Lifecycle: DRAFT → IN_REVIEW → PUBLISHED (or back to DRAFT) → ARCHIVED.',
});

export enum ReportSensitivity {
  INTERNAL = 'INTERNAL',
  CONFIDENTIAL = 'CONFIDENTIAL',
}
registerEnumType(ReportSensitivity, {
  name: 'ReportSensitivity',
  description: 'INTERNAL: every member once published. CONFIDENTIAL: analysts and the report’s own org unit once published.',
});

@ObjectType({ simpleResolvers: true, description: 'A report. Fields you may not read resolve to null with a FORBIDDEN error.' })
export class Report {
  @Field(() => ID, { description: 'Report id (a UUID).' })
  id!: string;

  @Field(() => String, { description: 'Title.' })
  title!: string;

  @Field(() => String, { description: 'Short summary.' })
  summary!: string;

  @Field(() => String, { description: 'Body text.' })
  body!: string;

  @Field(() => ReportStatus, { description: 'Lifecycle state.' })
  status!: ReportStatus;

  @Field(() => ReportSensitivity, { description: 'Who may read it once published.' })
  sensitivity!: ReportSensitivity;

  @Field(() => [String], { description: 'Tags.' })
  tags!: string[];

  @Field(() => [String], {
    nullable: true,
    description: 'Customer accounts named in the report: its author, their managers, analysts and break-glass only.',
  })
  customerAccounts!: string[] | null;

  @Field(() => DateTimeScalar, { description: 'When it was created.' })
  createdAt!: Date;

  @Field(() => DateTimeScalar, { description: 'When it last changed.' })
  updatedAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was published.' })
  publishedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the last reviewer sent it back to DRAFT.' })
  reviewNote!: string | null;
}

export const ReportConnection = connectionOf(Report, 'Report');

@InputType({ description: 'A new report. Its author is you, its org unit yours.' })
export class CreateReportInput {
  @Field(() => String, { description: '1–200 characters.' })
  @Length(1, 200)
  title!: string;

  @Field(() => String, { nullable: true, description: 'At most 2,000 characters.' })
  @IsOptional()
  @MaxLength(2000)
  summary?: string;

  @Field(() => String, { nullable: true, description: 'At most 100,000 characters.' })
  @IsOptional()
  @MaxLength(100_000)
  body?: string;

  @Field(() => ReportSensitivity, { nullable: true, description: 'Default INTERNAL.' })
  @IsOptional()
  sensitivity?: ReportSensitivity;

  @Field(() => [String], { nullable: true, description: 'At most 20 tags of at most 50 characters.' })
  @IsOptional()
  @ArrayMaxSize(20)
  @MaxLength(50, { each: true })
  tags?: string[];

  @Field(() => [String], { nullable: true, description: 'At most 50 customer accounts.' })
  @IsOptional()
  @ArrayMaxSize(50)
  @MaxLength(200, { each: true })
  customerAccounts?: string[];
}

@InputType({ description: 'Changes to a DRAFT report; omitted fields stay as they are.' })
export class UpdateReportInput {
  @Field(() => String, { nullable: true, description: '1–200 characters.' })
  @IsOptional()
  @Length(1, 200)
  title?: string;

  @Field(() => String, { nullable: true, description: 'At most 2,000 characters.' })
  @IsOptional()
  @MaxLength(2000)
  summary?: string;

  @Field(() => String, { nullable: true, description: 'At most 100,000 characters.' })
  @IsOptional()
  @MaxLength(100_000)
  body?: string;

  @Field(() => ReportSensitivity, { nullable: true, description: 'Who may read it once published.' })
  @IsOptional()
  sensitivity?: ReportSensitivity;

  @Field(() => [String], { nullable: true, description: 'At most 20 tags of at most 50 characters.' })
  @IsOptional()
  @ArrayMaxSize(20)
  @MaxLength(50, { each: true })
  tags?: string[];

  @Field(() => [String], { nullable: true, description: 'At most 50 customer accounts.' })
  @IsOptional()
  @ArrayMaxSize(50)
  @MaxLength(200, { each: true })
  customerAccounts?: string[];
}
