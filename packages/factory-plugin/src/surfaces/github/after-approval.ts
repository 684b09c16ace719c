import { loadGithubConfig } from './config';

/**
 * After an approval, when `github.pull_request_on_approval` is set: publishes the task's pull
 * request and check runs. The approval stands whatever happens here; a failure comes back as
 * a warning saying how to publish by hand. Returns the lines to print.
 */
export async function publishAfterApproval(
  root: string,
  slug: string,
  env: Record<string, string | undefined>,
): Promise<{ lines: string[]; warnings: string[] }> {
  let config;
  try {
    config = loadGithubConfig(root);
  } catch (e) {
    return { lines: [], warnings: [`no pull request: ${(e as Error).message}`] };
  }
  if (!config.pull_request_on_approval) return { lines: [], warnings: [] };
  const lines: string[] = [];
  try {
    const [{ findToken }, { publishTask }] = await Promise.all([import('./token'), import('./publish')]);
    const found = await findToken(config, { env });
    if ('why' in found) return { lines, warnings: [`no pull request: ${found.why}`] };
    await publishTask({ root, slug, config, token: found.token, env, out: (l) => lines.push(l) });
    return { lines, warnings: [] };
  } catch (e) {
    return {
      lines,
      warnings: [
        `the approval stands, but the pull request was not published: ${(e as Error).message}; publish it with: factory pr ${slug}`,
      ],
    };
  }
}
