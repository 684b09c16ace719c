import { rmSync } from 'node:fs';
import { builtinStages } from './builtin-stages';
import { gitTaskRepo, type GitTaskRepo } from '../testing/git-task-repo';

describe('the runner’s built-in review stage', () => {
  let repo: GitTaskRepo;
  beforeEach(() => {
    repo = gitTaskRepo();
  });
  afterEach(() => rmSync(repo.root, { recursive: true, force: true }));

  const review = (prepared?: { actor: () => Promise<string> }) =>
    builtinStages.review({
      invocation: { slug: 'bd-1' },
      root: repo.root,
      codeRoot: repo.root,
      cwd: repo.root,
      log: () => undefined,
      signal: new AbortController().signal,
      prepared,
    } as unknown as Parameters<(typeof builtinStages)['review']>[0]);

  it('records the actor the runner already looked up, without asking git again', async () => {
    const outcome = await review({ actor: async () => 'runner-actor@example.com' });
    expect(outcome).toMatchObject({ ok: true, metrics: { review_ran: false } });
    expect(repo.read('.factory/bd-1/activity.jsonl')).toContain('"actor":"runner-actor@example.com"');
  });

  it('looks the actor up itself when run without one', async () => {
    repo.git('config', 'user.email', 'from-git@example.com');
    await review();
    expect(repo.read('.factory/bd-1/activity.jsonl')).toContain('"actor":"from-git@example.com"');
  });
});
