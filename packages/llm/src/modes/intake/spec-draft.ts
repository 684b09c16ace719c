import { z } from 'zod';

/** What intake asks the model for (and what the template fills in without one). */
export const SpecDraftSchema = z.object({
  title: z.string().min(1).max(200),
  problem: z.string().min(1).max(8_000),
  requirements: z.array(z.string().min(1).max(2_000)).min(1).max(40),
  acceptance_criteria: z.array(z.string().min(1).max(2_000)).min(1).max(40),
  out_of_scope: z.array(z.string().min(1).max(2_000)).max(40),
  /** Names of the Nx projects the change needs, from the list given. */
  projects: z.array(z.string().min(1)).max(50),
});
export type SpecDraft = z.infer<typeof SpecDraftSchema>;

export const SPEC_ANSWER_FORMAT = `Answer with ONE JSON object and nothing else:
{
  "title": "a short imperative title",
  "problem": "what is wrong or missing today, and for whom (a paragraph)",
  "requirements": ["what the change must do, one per item"],
  "acceptance_criteria": ["a check a test can make, e.g. 'farewell(\\"ada\\") returns \\"goodbye ada\\"'"],
  "out_of_scope": ["what this task will not do"],
  "projects": ["names of the projects from the list that the change must touch"]
}
Every acceptance criterion must be testable: an input and the observable result.`;

/** An Nx project a task may work in. */
export interface ProjectRef {
  name: string;
  root: string;
}

/** Contract values intake proposes: the allowed files of the projects the change touches. */
export interface ContractProposal {
  projects: string[];
  allowed_files: string[];
  /** Why these (or why none). */
  basis: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Pure: the allowed files for the chosen projects (`<root>/**`); without a choice, the projects
 * the text names (by name or root, as a word); else none, said so.
 */
export function proposeContract(projects: readonly ProjectRef[], text: string, chosen?: readonly string[]): ContractProposal {
  const byName = new Map(projects.map((p) => [p.name, p]));
  let picked: ProjectRef[];
  let basis: string;
  if (chosen && chosen.length) {
    picked = chosen.map((n) => byName.get(n)).filter((p): p is ProjectRef => p !== undefined);
    basis = 'the projects the model chose from the Nx project graph';
  } else {
    picked = projects.filter((p) => new RegExp(`(^|[^\\w/-])(${escape(p.name)}|${escape(p.root)})(?![\\w-])`, 'i').test(text));
    basis = 'the Nx projects the description names';
  }
  picked = picked.filter((p) => !p.root.startsWith('.factory'));
  if (picked.length === 0)
    return { projects: [], allowed_files: [], basis: 'no Nx project is named in the description; list the allowed files by hand' };
  const globs = picked.map((p) => (p.root === '.' || p.root === '' ? '**' : `${p.root}/**`));
  return { projects: picked.map((p) => p.name).sort(), allowed_files: [...new Set(globs)].sort(), basis };
}
