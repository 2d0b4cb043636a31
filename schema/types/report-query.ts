/** How clients narrow and order report lists (and aggregates). */
import { ArrayMaxSize, IsOptional, MaxLength } from 'class-validator';
import { Field, ID, InputType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../scalars.ts';
import { ReportSensitivity, ReportStatus } from './report.ts';

@InputType({ description: 'Narrows a report list or aggregate. All given conditions must hold.' })
export class ReportFilter {
  @Field(() => [ReportStatus], { nullable: true, description: 'Any of these statuses.' })
  @IsOptional()
  status?: ReportStatus[] | null;

  @Field(() => [ReportSensitivity], { nullable: true, description: 'Any of these sensitivities.' })
  @IsOptional()
  sensitivity?: ReportSensitivity[] | null;

  @Field(() => ID, { nullable: true, description: 'Reports of this org unit.' })
  @IsOptional()
  orgUnitId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'With orgUnitId: its sub-units too.' })
  @IsOptional()
  includeSubUnits?: boolean | null;

  @Field(() => ID, { nullable: true, description: 'Reports by this author.' })
  @IsOptional()
  authorId?: string | null;

  @Field(() => [String], { nullable: true, description: 'Reports carrying any of these tags.' })
  @IsOptional()
  @ArrayMaxSize(20)
  tagsAny?: string[] | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Created at or after.' })
  @IsOptional()
  createdFrom?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Created before.' })
  @IsOptional()
  createdTo?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Published at or after.' })
  @IsOptional()
  publishedFrom?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Published before.' })
  @IsOptional()
  publishedTo?: Date | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive text in the title or summary.' })
  @IsOptional()
  @MaxLength(200)
  search?: string | null;
}

export enum ReportOrderField {
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
  PUBLISHED_AT = 'PUBLISHED_AT',
  TITLE = 'TITLE',
}
registerEnumType(ReportOrderField, { name: 'ReportOrderField', description: 'What to sort reports by (ties broken by id).' });

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(OrderDirection, { name: 'OrderDirection', description: 'Ascending or descending.' });

@InputType({ description: 'Report order; default newest first. Unpublished reports sort last by PUBLISHED_AT.' })
export class ReportOrder {
  @Field(() => ReportOrderField, { description: 'Sort key.' })
  field!: ReportOrderField;

  @Field(() => OrderDirection, { nullable: true, description: 'Default DESC.' })
  @IsOptional()
  direction?: OrderDirection | null;
}
