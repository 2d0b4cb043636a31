/**
 * Break-glass (DESIGN §4 rule 5): an admin opens a time-boxed session, with a reason, that lets
 * them read every report; while it is in force every request they make is audited
 * (http/break-glass-plugin.ts). Expiry is the database clock at each request, never a job.
 */
import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import {
  closeLapsedSessions,
  endSession,
  findActiveSession,
  findSession,
  insertSession,
  lockPerson,
  type BreakGlassRecord,
} from '../db/repositories/governance.ts';
import { ForbiddenError } from '../errors.ts';
import type { GatewayContext } from '../schema/context.ts';
import { BreakGlassSession, SessionStatus } from '../schema/types/governance.ts';
import { actorId, allow, deny, governedMutation, invalid } from './governance-mutation.ts';

export const BREAK_GLASS_MIN_REASON = 20;
export const BREAK_GLASS_MAX_REASON = 2000;
export const BREAK_GLASS_MAX_MINUTES = 60;

const START = { action: 'breakglass.start', subjectType: 'BreakGlass' } as const;
const END = { action: 'breakglass.end', subjectType: 'BreakGlass' } as const;

function view(record: BreakGlassRecord): BreakGlassSession {
  return { ...record, status: SessionStatus[record.status] };
}

@Resolver()
export class BreakGlassResolver {
  @Query(() => BreakGlassSession, { nullable: true, description: 'Your break-glass session in force, if any.' })
  async breakGlassSession(@Ctx() context: GatewayContext): Promise<BreakGlassSession | null> {
    const id = context.principal.kind === 'person' ? context.principal.person.breakGlassSessionId : null;
    if (id === null) return null;
    const record = await findSession(context.db, id);
    return record ? view(record) : null;
  }

  @Mutation(() => BreakGlassSession, {
    description: `Opens a break-glass session (admins): read access to every report for 1–${BREAK_GLASS_MAX_MINUTES} minutes, every request audited. One at a time; the reason (at least ${BREAK_GLASS_MIN_REASON} characters) goes to the audit trail.`,
  })
  async startBreakGlass(
    @Arg('reason', () => String, { description: `Why (${BREAK_GLASS_MIN_REASON}–${BREAK_GLASS_MAX_REASON} characters).` }) reason: string,
    @Arg('minutes', () => Int, { description: `How long, 1–${BREAK_GLASS_MAX_MINUTES} minutes.` }) minutes: number,
    @Ctx() context: GatewayContext,
  ): Promise<BreakGlassSession> {
    const record = await governedMutation(context, START, async (tx) => {
      if (!context.ability.can('start', 'BreakGlass')) return deny(new ForbiddenError('Only admins may start break-glass'), 'not an admin');
      const trimmed = reason.trim();
      if (trimmed.length < BREAK_GLASS_MIN_REASON || reason.length > BREAK_GLASS_MAX_REASON) {
        invalid(`reason must be ${BREAK_GLASS_MIN_REASON}–${BREAK_GLASS_MAX_REASON} characters (got ${trimmed.length})`);
      }
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > BREAK_GLASS_MAX_MINUTES) {
        invalid(`minutes must be between 1 and ${BREAK_GLASS_MAX_MINUTES} (got ${minutes})`);
      }
      const me = actorId(context);
      await lockPerson(tx, me);
      const open = await findActiveSession(tx, me);
      if (open) invalid(`you already hold break-glass session ${open.id}, in force until ${open.expiresAt.toISOString()}; end it first`);
      await closeLapsedSessions(tx, me);
      const session = await insertSession(tx, { personId: me, reason: trimmed, minutes });
      await allow(tx, context, START, {
        subjectId: session.id,
        reason: trimmed,
        details: { sessionId: session.id, minutes, expiresAt: session.expiresAt.toISOString() },
      });
      return session;
    });
    return view(record);
  }

  @Mutation(() => BreakGlassSession, { description: 'Ends your break-glass session in force.' })
  async endBreakGlass(@Ctx() context: GatewayContext): Promise<BreakGlassSession> {
    const record = await governedMutation(context, END, async (tx) => {
      if (!context.ability.can('end', 'BreakGlass')) return deny(new ForbiddenError('Only admins hold break-glass sessions'), 'not an admin');
      const me = actorId(context);
      await lockPerson(tx, me);
      const open = await findActiveSession(tx, me);
      if (!open) invalid('you hold no break-glass session in force');
      const ended = await endSession(tx, open.id);
      await allow(tx, context, END, {
        subjectId: ended.id,
        details: { sessionId: ended.id, startedAt: ended.startedAt.toISOString(), endedAt: ended.endedAt?.toISOString() ?? null },
      });
      return ended;
    });
    return view(record);
  }
}
