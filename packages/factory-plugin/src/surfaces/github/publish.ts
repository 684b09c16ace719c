import { FactoryError, taskView } from '@factory/core';
import { requireTask } from '../report-file';
import { checkRunsFor, type CheckRunPayload } from './check-runs';
import { githubClient, step, type GithubClient } from './client';
import { webBaseUrl, type GithubConfig } from './config';
import { branchHead, pushBranch, remoteUrl, repositoryOf, tokenGitEnv } from './git-remote';
import { pullRequestBody, pullRequestTitle } from './markdown';

export interface PublishOptions {
  root: string;
  slug: string;
  config: GithubConfig;
  token: string;
  env: Record<string, string | undefined>;
  /** Progress lines (never the token). */
  out: (line: string) => void;
}

export interface PublishOutcome {
  repository: string;
  branch: string;
  sha: string;
  pull_request: { number: number; url: string; created: boolean };
  checks: { stage: string; name: string; status: string; conclusion?: string; id: number; created: boolean }[];
}

/** The repository to publish to: `github.repository`, else the remote's URL on the configured host. */
async function repository(root: string, config: GithubConfig): Promise<{ owner: string; repo: string; url: string }> {
  const url = await remoteUrl(root, config.remote);
  const full = config.repository ?? repositoryOf(url, new URL(webBaseUrl(config)).host);
  if (!full)
    throw new FactoryError(
      'CONFIG',
      `.factory/config.yaml: github.repository: expected owner/name, got nothing, and the remote "${config.remote}" is not a ${webBaseUrl(config)} URL to read it from; set github.repository`,
      { file: '.factory/config.yaml', field: 'github.repository' },
    );
  const [owner, repo] = full.split('/');
  return { owner, repo, url };
}

async function upsertPullRequest(
  gh: GithubClient,
  o: { owner: string; repo: string },
  config: GithubConfig,
  branch: string,
  title: string,
  body: string,
) {
  const base = config.base_branch ?? (await step(`reading ${o.owner}/${o.repo}`, () => gh.rest.repos.get(o))).data.default_branch;
  const open = await step(`looking for the pull request of ${branch}`, () =>
    gh.rest.pulls.list({ ...o, head: `${o.owner}:${branch}`, state: 'open', per_page: 1 }),
  );
  const existing = open.data[0];
  if (existing) {
    const r = await step(`updating pull request #${existing.number}`, () =>
      gh.rest.pulls.update({ ...o, pull_number: existing.number, title, body }),
    );
    return { number: r.data.number, url: r.data.html_url, created: false };
  }
  const r = await step(`opening a pull request from ${branch} into ${base}`, () =>
    gh.rest.pulls.create({ ...o, head: branch, base, title, body, draft: config.draft }),
  );
  return { number: r.data.number, url: r.data.html_url, created: true };
}

async function upsertCheckRuns(gh: GithubClient, o: { owner: string; repo: string }, sha: string, runs: CheckRunPayload[]) {
  const existing = await step(`reading the check runs of ${sha.slice(0, 12)}`, () =>
    gh.paginate(gh.rest.checks.listForRef, { ...o, ref: sha, filter: 'latest', per_page: 100 }),
  );
  // Only runs Factory made (its external_id), so another app's run of the same name is never touched.
  const ours = new Set(runs.map((r) => r.external_id));
  const byName = new Map(existing.filter((c) => c.external_id && ours.has(c.external_id)).map((c) => [c.name, c.id]));
  const out: PublishOutcome['checks'] = [];
  for (const run of runs) {
    const id = byName.get(run.name);
    const r =
      id === undefined
        ? await step(`creating the check run "${run.name}"`, () => gh.rest.checks.create({ ...o, head_sha: sha, ...run }))
        : await step(`updating the check run "${run.name}"`, () => gh.rest.checks.update({ ...o, check_run_id: id, ...run }));
    out.push({
      stage: run.external_id.slice(run.external_id.indexOf(':') + 1),
      name: run.name,
      status: run.status,
      ...(run.conclusion ? { conclusion: run.conclusion } : {}),
      id: r.data.id,
      created: id === undefined,
    });
  }
  return out;
}

/**
 * `factory pr <slug>`: pushes the task's branch `factory/<slug>`, opens its pull request (or
 * updates the open one) with a body summarising the contract, the stages and the approval,
 * and publishes each stage as a check run on the pushed commit (updating the runs it made
 * before). Everything shown comes from the task's view, as in the report.
 */
export async function publishTask(o: PublishOptions): Promise<PublishOutcome> {
  requireTask(o.root, o.slug);
  const branch = `factory/${o.slug}`;
  const sha = await branchHead(o.root, branch);
  if (!sha)
    throw new FactoryError(
      'GITHUB_BRANCH',
      `no branch ${branch}: a task's branch comes with its workspace (factory workspace create ${o.slug}); commit the task's work there first`,
    );
  const repo = await repository(o.root, o.config);
  const web = webBaseUrl(o.config);
  const pushEnv = repo.url.startsWith(`${web}/`) ? tokenGitEnv(o.env, web, o.token) : {};
  await pushBranch(o.root, o.config.remote, branch, pushEnv);
  o.out(`pushed ${branch} (${sha.slice(0, 12)}) to ${o.config.remote}`);
  const view = await taskView(o.root, o.slug);
  const gh = await githubClient(o.config, o.token, o.out);
  const target = { owner: repo.owner, repo: repo.repo };
  const pr = await upsertPullRequest(gh, target, o.config, branch, pullRequestTitle(view), pullRequestBody(view));
  o.out(`${pr.created ? 'opened' : 'updated'} pull request #${pr.number}: ${pr.url}`);
  const checks = await upsertCheckRuns(gh, target, sha, checkRunsFor(view));
  o.out(
    `check runs on ${sha.slice(0, 12)}: ${checks.map((c) => `${c.stage} ${c.conclusion ?? c.status}`).join(', ') || 'none (no stages)'}`,
  );
  return { repository: `${repo.owner}/${repo.repo}`, branch, sha, pull_request: pr, checks };
}
