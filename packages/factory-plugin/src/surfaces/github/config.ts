import path from 'node:path';
import { z } from 'zod';
import { FactoryError, formatProblem, GLOBAL_FILES, parseConfig, readDocumentIfExists, zodProblems } from '@factory/core';

/** `github:` in `.factory/config.yaml`. */
export const GithubConfigSchema = z.strictObject({
  /** The REST API's base URL: https://api.github.com, or https://<host>/api/v3 for GitHub Enterprise Server. */
  base_url: z.url({ protocol: /^https?$/ }).default('https://api.github.com'),
  /** The client id of the GitHub App (or OAuth App) that signs people in with the device flow. */
  client_id: z.string().min(1).optional(),
  /** github-app (user tokens can write check runs) or oauth-app (asks for the `repo` scope). */
  client_type: z.enum(['github-app', 'oauth-app']).default('github-app'),
  /** owner/name; default: read from the remote's URL. */
  repository: z
    .string()
    .refine((v) => /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(v), {
      error: (i) => `expected owner/name, e.g. acme/app, got ${JSON.stringify(i.input)}`,
    })
    .optional(),
  /** The git remote the task's branch is pushed to. */
  remote: z
    .string()
    .refine((v) => /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/.test(v), { error: (i) => `expected a git remote name, got ${JSON.stringify(i.input)}` })
    .default('origin'),
  /** The branch pull requests go into; default: the repository's default branch. */
  base_branch: z.string().min(1).optional(),
  /** Open or update the pull request (and its check runs) right after an approval. */
  pull_request_on_approval: z.boolean().default(false),
  draft: z.boolean().default(false),
});
export type GithubConfig = z.infer<typeof GithubConfigSchema>;

/** Reads `github:` from `.factory/config.yaml`; an error names the file and the field. */
export function loadGithubConfig(root: string): GithubConfig {
  const file = GLOBAL_FILES.config;
  const c = parseConfig(readDocumentIfExists(path.join(root, file), file), file);
  if (!c.value) throw new FactoryError('CONFIG', c.errors.map(formatProblem).join('\n'), { file });
  const r = GithubConfigSchema.safeParse(c.value.github ?? {}, { reportInput: true });
  if (!r.success) {
    const problems = zodProblems(file, r.error, ['github']);
    throw new FactoryError('CONFIG', problems.map(formatProblem).join('\n'), { file, field: problems[0]?.field });
  }
  return r.data;
}

/** Where people sign in and where git pushes: the web host of the API (api.github.com → github.com). */
export function webBaseUrl(config: Pick<GithubConfig, 'base_url'>): string {
  const u = config.base_url.replace(/\/+$/, '');
  if (/^https:\/\/api\.github\.com$/.test(u)) return 'https://github.com';
  return u.replace(/\/api\/v3$/, '');
}

/** The keyring account of a GitHub host's token: one per host, so GitHub and an Enterprise server each keep theirs. */
export function tokenAccount(config: Pick<GithubConfig, 'base_url'>): string {
  return `github:${new URL(webBaseUrl(config)).host}`;
}
