// Records an admin change in the audit log. Callers pass field names and context, never secrets.
import type { ApiContext, Actor } from '../context.ts';

export async function audit(
  ctx: ApiContext,
  actor:
    | Pick<Actor, 'user' | 'tenantId' | 'label' | 'ip'>
    | { tenantId: string; label: string; ip: string | null; user?: undefined },
  action: string,
  target: { type: string; id: string | null },
  details: Record<string, unknown> = {},
): Promise<void> {
  await ctx.repos.audit.append({
    tenantId: actor.tenantId,
    actorUserId: actor.user?.id ?? null,
    actor: actor.label,
    action,
    targetType: target.type,
    targetId: target.id,
    details,
    ip: actor.ip,
  });
}

/** The names of the fields a patch sets (for the audit log; values are left out). */
export const changedFields = (patch: object): string[] =>
  Object.entries(patch)
    .filter(([, v]) => v !== undefined)
    .map(([k]) => k);
