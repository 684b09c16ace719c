import { jest } from '@jest/globals';
import { recordedAnswer, scriptedModel } from '../../testing/scripted-model';
import { makeTaskRepo, SLUG, type TaskRepo } from '../../testing/task-repo';
import { draftSpec } from './run';
import { proposeContract } from './spec-draft';

// Real git repositories and real test commands: slower than a unit test on a busy machine.
jest.setTimeout(60_000);

const PROJECTS = [
  { name: 'app', root: 'packages/app' },
  { name: 'web', root: 'apps/web' },
];

describe('draftSpec', () => {
  let repo: TaskRepo;
  beforeEach(() => {
    repo = makeTaskRepo();
  });
  afterEach(() => repo.cleanup());

  it('without a provider writes the template with the description filled in, and says why', async () => {
    const r = await draftSpec(
      { root: repo.root, env: {}, actor: 'tester' },
      { slug: SLUG, description: 'Add a farewell function to app', projects: PROJECTS },
    );
    expect(r.model).toBeUndefined();
    expect(r.spec).toMatch(/^# Add a farewell function to app\n/);
    for (const heading of ['## Problem', '## Requirements', '## Acceptance criteria', '## Out of scope', '## Proposed contract'])
      expect(r.spec).toContain(heading);
    expect(r.spec).toContain('written from the template (no LLM provider is configured');
    expect(r.spec).toContain('- [ ] A test shows that the change does what the description says: Add a farewell function to app');
    expect(r.proposal).toEqual({ projects: ['app'], allowed_files: ['packages/app/**'], basis: 'the Nx projects the description names' });
  });

  it('with a provider asks once, with the project list, and keeps only projects that exist', async () => {
    const model = scriptedModel([recordedAnswer('intake/farewell.json')]);
    const r = await draftSpec(
      { root: repo.root, env: {}, actor: 'tester', model },
      { slug: SLUG, description: 'Users want a goodbye', projects: PROJECTS },
    );
    expect(model.requests).toHaveLength(1);
    expect(model.requests[0].messages[0].content).toContain('- app (packages/app)');
    expect(r.model).toBe('openai/scripted-1');
    expect(r.spec).toContain('- [ ] farewell("ada") returns "goodbye ada"');
    expect(r.proposal.allowed_files).toEqual(['packages/app/**']);
    expect(r.proposal.basis).toContain('the model also named billing, which are not projects of this workspace');
    expect(repo.read(`.factory/${SLUG}/activity.jsonl`)).toContain('"action":"intake"');
  });

  it('falls back to the template when the answer is unusable, saying so', async () => {
    const model = scriptedModel(['{"title": "x"}']);
    const r = await draftSpec(
      { root: repo.root, env: {}, actor: 'tester', model },
      { slug: SLUG, description: 'Add a farewell', projects: PROJECTS },
    );
    expect(r.spec).toContain("written from the template (the model's answer could not be used: expected a spec, but problem:");
  });
});

describe('proposeContract', () => {
  it('matches projects by name or root as whole words only', () => {
    expect(proposeContract(PROJECTS, 'touch apps/web and the application').allowed_files).toEqual(['apps/web/**']);
    expect(proposeContract(PROJECTS, 'nothing named here')).toMatchObject({
      allowed_files: [],
      basis: expect.stringContaining('list the allowed files by hand'),
    });
  });
});
