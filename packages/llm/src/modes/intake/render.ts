import { toYaml } from '@factory/core';
import type { ContractProposal, SpecDraft } from './spec-draft';

/** How a spec came to be, written at its top. */
export interface SpecOrigin {
  slug: string;
  /** `provider/model`, or undefined for the template. */
  model?: string;
  /** Why the template was used. */
  reason?: string;
}

const bullets = (items: readonly string[], box = false) => items.map((i) => `- ${box ? '[ ] ' : ''}${i.replace(/\n+/g, ' ')}`).join('\n');

/** spec.md: problem, requirements, testable acceptance criteria, out of scope, and the proposed contract values. */
export function renderSpec(draft: SpecDraft, proposal: ContractProposal, origin: SpecOrigin): string {
  const by = origin.model
    ? `drafted by ${origin.model} (LLM intake); check it before work starts`
    : `written from the template (${origin.reason}); fill in what the description does not say`;
  const contract = proposal.allowed_files.length ? toYaml({ allowed_files: proposal.allowed_files }).trimEnd() : '# (none proposed)';
  return `# ${draft.title}

> Spec of task \`${origin.slug}\`, ${by}.

## Problem

${draft.problem}

## Requirements

${bullets(draft.requirements)}

## Acceptance criteria

${bullets(draft.acceptance_criteria, true)}

## Out of scope

${draft.out_of_scope.length ? bullets(draft.out_of_scope) : '- (nothing named)'}

## Proposed contract

From ${proposal.basis}${proposal.projects.length ? ` (${proposal.projects.join(', ')})` : ''}:

\`\`\`yaml
${contract}
\`\`\`
`;
}

/** The spec without a model: the same sections, the description filled in. */
export function templateDraft(slug: string, description: string, title?: string): SpecDraft {
  const firstLine = description.split('\n')[0].trim();
  return {
    title: title?.trim() || (firstLine.length > 80 ? `${firstLine.slice(0, 77)}...` : firstLine) || slug,
    problem: description.trim(),
    requirements: [description.trim().replace(/\s+/g, ' ')],
    acceptance_criteria: [
      `A test shows that the change does what the description says: ${description.trim().replace(/\s+/g, ' ')}`,
      `The task's pipeline passes: nx run ${slug}:pipeline`,
    ],
    out_of_scope: ["Changes to files outside the contract's allowed_files"],
    projects: [],
  };
}
