/** Dashboard aggregates: counts of the reports you may count, grouped, or over time. */
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../scalars.ts';
import { ReportSensitivity, ReportStatus } from './report.ts';

export enum ReportDimension {
  STATUS = 'STATUS',
  SENSITIVITY = 'SENSITIVITY',
  ORG_UNIT = 'ORG_UNIT',
  AUTHOR = 'AUTHOR',
  WEEK = 'WEEK',
}
registerEnumType(ReportDimension, { name: 'ReportDimension', description: 'What to group report counts by.' });

export enum TrendInterval {
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}
registerEnumType(TrendInterval, { name: 'TrendInterval', description: 'Bucket width of a trend (UTC; weeks start on Monday).' });

@ObjectType({ simpleResolvers: true, description: 'An org unit as a bucket label.' })
export class BucketOrgUnit {
  @Field(() => String, { description: 'Org unit id.' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'Name.' })
  name!: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'An author as a bucket label.' })
export class BucketAuthor {
  @Field(() => String, { description: 'Person id.' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'Display name.' })
  displayName!: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'One group of reports; a dimension is set only when grouped by it.' })
export class ReportBucket {
  @Field(() => ReportStatus, { nullable: true, description: 'Set when grouped by STATUS.' })
  status!: ReportStatus | null;

  @Field(() => ReportSensitivity, { nullable: true, description: 'Set when grouped by SENSITIVITY.' })
  sensitivity!: ReportSensitivity | null;

  @Field(() => BucketOrgUnit, { nullable: true, description: 'Set when grouped by ORG_UNIT.' })
  orgUnit!: BucketOrgUnit | null;

  @Field(() => BucketAuthor, { nullable: true, description: 'Set when grouped by AUTHOR.' })
  author!: BucketAuthor | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Start of the ISO week (Monday, UTC); set when grouped by WEEK.' })
  week!: Date | null;

  @Field(() => Int, { description: 'Reports in the bucket; for the suppressed marker, how many buckets were withheld.' })
  count!: number;

  @Field(() => Boolean, {
    description: 'True only for one trailing marker bucket, present when buckets under minBucketSize were withheld.',
  })
  suppressed!: boolean;
}

@ObjectType({ simpleResolvers: true, description: 'Reports created in one interval.' })
export class TrendPoint {
  @Field(() => DateTimeScalar, { description: 'Start of the interval (UTC).' })
  start!: Date;

  @Field(() => Int, { nullable: true, description: 'Reports created; null when withheld under minBucketSize.' })
  count!: number | null;

  @Field(() => Boolean, { description: 'True when the count was withheld (between 1 and minBucketSize − 1).' })
  suppressed!: boolean;
}
