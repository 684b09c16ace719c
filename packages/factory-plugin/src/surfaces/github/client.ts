import type { Octokit } from '@octokit/rest';
import { FactoryError, isFactoryError } from '@factory/core';
import type { GithubConfig } from './config';

export type GithubClient = Octokit;

/** How often a rate-limited request is tried again (after the wait GitHub asks for). */
const RATE_LIMIT_RETRIES = 3;

/**
 * An Octokit for the configured host, with GitHub's own retry (5xx) and throttling (one write
 * at a time, waiting out primary and secondary rate limits as `retry-after` says) plugins.
 * `notice` hears each wait. Octokit's own logging is silent: it may print request details.
 */
export async function githubClient(
  config: Pick<GithubConfig, 'base_url'>,
  token: string,
  notice: (text: string) => void,
): Promise<GithubClient> {
  const [{ Octokit }, { retry }, { throttling }] = await Promise.all([
    import('@octokit/rest'),
    import('@octokit/plugin-retry'),
    import('@octokit/plugin-throttling'),
  ]);
  const Client = Octokit.plugin(retry, throttling);
  const wait = (kind: string) => (retryAfter: number, options: { method?: string; url?: string }, _o: unknown, retryCount: number) => {
    if (retryCount >= RATE_LIMIT_RETRIES) return false;
    notice(`GitHub ${kind} on ${options.method ?? ''} ${options.url ?? ''}: waiting ${retryAfter} s, then trying again`);
    return true;
  };
  const quiet = () => undefined;
  return new Client({
    auth: token,
    baseUrl: config.base_url.replace(/\/+$/, ''),
    userAgent: 'factory-cli',
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    throttle: { onRateLimit: wait('rate limit'), onSecondaryRateLimit: wait('secondary rate limit') },
  }) as unknown as GithubClient;
}

interface RequestErrorLike {
  status: number;
  message: string;
  response?: { data?: unknown; headers?: Record<string, string | undefined> };
}

const isRequestError = (e: unknown): e is RequestErrorLike =>
  typeof e === 'object' && e !== null && typeof (e as { status?: unknown }).status === 'number';

/** GitHub's 422 details: `field: code` or the message of each error. */
function validationDetails(data: unknown): string {
  const errors = (data as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return '';
  const parts = errors.map((e) => {
    if (typeof e === 'string') return e;
    const o = (e ?? {}) as Record<string, unknown>;
    if (typeof o.message === 'string') return o.message;
    return [o.resource, o.field, o.code].filter((x) => typeof x === 'string').join(' ');
  });
  return parts.length ? ` (${parts.join('; ')})` : '';
}

/**
 * A GitHub API failure as a FactoryError that says what to do. Only the status and GitHub's
 * message are used, never the request (its headers hold the token).
 */
export function githubError(e: unknown, doing: string): unknown {
  if (!isRequestError(e)) {
    if (e instanceof Error && !isFactoryError(e))
      return new FactoryError('GITHUB', `${doing}: could not reach GitHub: ${e.message}`, { cause: e });
    return e;
  }
  const data = e.response?.data as { message?: string } | undefined;
  const said = data?.message ?? e.message;
  switch (e.status) {
    case 401:
      return new FactoryError(
        'GITHUB_AUTH',
        `${doing}: GitHub refused the token (401 ${said}): it has expired or was revoked. Sign in again with: factory auth github (in CI: set FACTORY_GITHUB_TOKEN)`,
      );
    case 403:
    case 429:
      return new FactoryError(
        'GITHUB_FORBIDDEN',
        /rate limit/i.test(said)
          ? `${doing}: GitHub's rate limit (${e.status} ${said}) held after ${RATE_LIMIT_RETRIES} waits; try again later`
          : `${doing}: GitHub refused (${e.status} ${said}); the token lacks a permission. Check runs need a GitHub App token (a device-flow sign-in to a GitHub App, or GitHub Actions' GITHUB_TOKEN with checks: write)`,
      );
    case 404:
      return new FactoryError(
        'GITHUB_NOT_FOUND',
        `${doing}: not found (404 ${said}); check github.repository and that the token can see it`,
      );
    case 422:
      return new FactoryError('GITHUB_INVALID', `${doing}: GitHub refused it (422 ${said}${validationDetails(e.response?.data)})`);
    default:
      return new FactoryError('GITHUB', `${doing}: GitHub answered ${e.status} ${said}`);
  }
}

/** Runs one API step; a failure becomes a FactoryError naming the step. */
export async function step<T>(doing: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw githubError(e, doing);
  }
}
