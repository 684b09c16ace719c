import { trimMiddle } from '../shared/budget';
import { parseJsonAnswer } from '../shared/json-answer';
import { openModeProvider, type ModeEnvironment } from '../shared/provider';
import { recordModeRun } from '../shared/record';
import { ModeSession } from '../shared/session';
import { renderSpec, templateDraft } from './render';
import { proposeContract, SpecDraftSchema, SPEC_ANSWER_FORMAT, type ContractProposal, type ProjectRef, type SpecDraft } from './spec-draft';

export const INTAKE_SYSTEM = `You turn a request into a spec inside Factory, a system for contract-gated, human-approved code changes.
The spec says what the problem is, what the change must do, how to test that it does, and what
it will not do. Keep it to what the request asks; do not invent features.

${SPEC_ANSWER_FORMAT}`;

export interface IntakeOptions {
  slug: string;
  description: string;
  title?: string;
  /** The Nx projects the task may work in (from the project graph). */
  projects: ProjectRef[];
  /** Record the run (transcript, metrics, audit) under the root; false for a dry run. */
  record?: boolean;
}

export interface IntakeResult {
  /** The spec.md text. */
  spec: string;
  draft: SpecDraft;
  proposal: ContractProposal;
  /** `provider/model`, or undefined when the template was used. */
  model?: string;
  /** Why the template was used. */
  reason?: string;
}

const MAX_PROJECTS = 300;

/**
 * Intake: a description → spec.md (problem, requirements, testable acceptance criteria, out of
 * scope) and proposed contract values (allowed files of Nx projects). With a provider the model
 * drafts it (one call; an unusable answer falls back to the template and says so); without one
 * the template is filled in with the description.
 */
export async function draftSpec(me: ModeEnvironment, options: IntakeOptions): Promise<IntakeResult> {
  const now = me.now ?? (() => new Date());
  const startedAt = now();
  const provider = await openModeProvider(me);
  const template = (reason: string): IntakeResult => {
    const draft = templateDraft(options.slug, options.description, options.title);
    const proposal = proposeContract(options.projects, options.description);
    return { spec: renderSpec(draft, proposal, { slug: options.slug, reason }), draft, proposal, reason };
  };
  if (!provider.model) return template(provider.reason);

  const session = new ModeSession('intake', provider.model, provider.redactor, provider.prices, now);
  const projects =
    options.projects
      .slice(0, MAX_PROJECTS)
      .map((p) => `- ${p.name} (${p.root})`)
      .join('\n') || '(none)';
  const prompt = `# Request for task ${options.slug}${options.title ? `: ${options.title}` : ''}\n\n${trimMiddle(options.description, 20_000)}\n\n## Projects in this workspace (name and root)\n${projects}`;
  const text = await session.ask({ system: INTAKE_SYSTEM, messages: [{ role: 'user', content: prompt }], json: true, signal: me.signal });
  const parsed = parseJsonAnswer(text, SpecDraftSchema, 'a spec');
  const result: IntakeResult = parsed.ok
    ? (() => {
        const unknown = parsed.value.projects.filter((n) => !options.projects.some((p) => p.name === n));
        const proposal = proposeContract(options.projects, options.description, parsed.value.projects);
        if (unknown.length)
          proposal.basis += `; the model also named ${unknown.join(', ')}, which are not projects of this workspace and were left out`;
        const draft = options.title ? { ...parsed.value, title: options.title } : parsed.value;
        return { spec: renderSpec(draft, proposal, { slug: options.slug, model: session.label }), draft, proposal, model: session.label };
      })()
    : template(`the model's answer could not be used: ${parsed.reason}`);
  if (options.record !== false) {
    await recordModeRun(
      me.root,
      {
        slug: options.slug,
        mode: 'intake',
        actor: me.actor,
        startedAt,
        finishedAt: now(),
        model: session.label,
        outcome: parsed.ok ? 'drafted' : 'template',
        details: { allowed_files: result.proposal.allowed_files, ...(result.reason ? { reason: result.reason } : {}) },
        usage: session.usage,
        transcript: session.transcript,
      },
      provider.redactor,
    );
  }
  return result;
}
