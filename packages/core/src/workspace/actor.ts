import { automaticActor } from '../lifecycle/actor';

/**
 * Who does something to a workspace or runs TCR, for the audit trail: the given actor, else
 * as for every automatic event (FACTORY_ACTOR, git's user.email, the login name).
 */
export async function resolveActor(root: string, given?: string): Promise<string> {
  return given?.trim() || automaticActor(root);
}
