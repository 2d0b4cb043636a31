/**
 * The org source's snapshot format, version 1 (DESIGN §3): its shape, parsed strictly.
 * Structural checks across records (unknown references, cycles, duplicates) live in validate.ts.
 */
import { z } from 'zod';

const id = z.string().min(1).max(200);

export const orgUnitRecord = z.strictObject({
  id,
  name: z.string().min(1).max(500),
  parentId: id.nullable(),
  kind: z.string().min(1).max(100).nullable().optional(),
});

export const personRecord = z.strictObject({
  id,
  oktaId: z.string().min(1).max(200),
  email: z.email().max(320),
  displayName: z.string().min(1).max(500),
  title: z.string().max(500).nullable().optional(),
  managerId: id.nullable(),
  orgUnitId: id,
  active: z.boolean(),
});

export const orgSnapshot = z.strictObject({
  version: z.literal(1, { error: 'unsupported snapshot version: only version 1 is understood' }),
  sequence: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  generatedAt: z.iso.datetime({ offset: true }),
  orgUnits: z.array(orgUnitRecord),
  people: z.array(personRecord),
});

export type OrgUnitRecord = z.infer<typeof orgUnitRecord>;
export type PersonRecord = z.infer<typeof personRecord>;
export type OrgSnapshot = z.infer<typeof orgSnapshot>;

/** The kind that marks the Builder Relations org unit (membership covers its whole subtree). */
export const BUILDER_RELATIONS_KIND = 'builder-relations';
