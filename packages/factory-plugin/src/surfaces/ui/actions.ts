import { advanceRollout, approveTask, automaticActor, ciVariable, isCi, loadRolloutConfig, RolloutStrategySchema } from '@factory/core';
import { publishAfterApproval } from '../github/after-approval';

export const ACTIONS = ['approve', 'advance', 'abort'] as const;
export type DashboardAction = (typeof ACTIONS)[number];

export interface ActionRequest {
  root: string;
  slug: string;
  action: DashboardAction;
  /** The request body (JSON): `{ strategy }` for approve. */
  body: unknown;
  env: Record<string, string | undefined>;
}

export interface ActionResult {
  ok: boolean;
  message: string;
}

/**
 * An action from the dashboard, through exactly the core functions the CLI's executors call.
 * The person confirmed it in the page; the local user (FACTORY_ACTOR, git's user.email, the
 * login name) is the actor. Refused under CI like approval: the dashboard is for a person.
 * FactoryErrors (a refusal, a rollout that cannot move) propagate with their message.
 */
export async function runAction(req: ActionRequest): Promise<ActionResult> {
  if (isCi(req.env))
    return {
      ok: false,
      message: `this runs in CI (${ciVariable(req.env)}): the dashboard's actions are for a person, never for an automated run`,
    };
  const actor = await automaticActor(req.root, req.env);
  if (req.action === 'approve') {
    const raw = (req.body as { strategy?: unknown } | undefined)?.strategy ?? 'gradual';
    const strategy = RolloutStrategySchema.safeParse(raw);
    if (!strategy.success) return { ok: false, message: `strategy: expected immediate, gradual or canary, got ${JSON.stringify(raw)}` };
    const out = await approveTask(req.root, req.slug, { strategy: strategy.data, actor, yes: true, env: req.env });
    const published = await publishAfterApproval(req.root, req.slug, req.env);
    return { ok: true, message: [out.message, ...(out.rollout?.warnings ?? []), ...published.lines, ...published.warnings].join('\n') };
  }
  const out = await advanceRollout(
    { root: req.root, slug: req.slug, actor, config: loadRolloutConfig(req.root) },
    { abort: req.action === 'abort' },
  );
  return { ok: out.ok, message: [out.message, ...out.warnings].join('\n') };
}
