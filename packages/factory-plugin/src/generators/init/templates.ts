export const CONFIG_YAML = `# Factory settings. See the README of the \`factory\` package.
version: 1
workspace:
  # auto: jj when this is a jj repository and jj is on PATH, else git worktrees. Or git, jj, none.
  backend: auto
  # Where task workspaces live (ignored by git and Nx).
  directory: .factory/workspaces
# Environment variables added to every stage command.
env: {}
# After approval (nx run <slug>:approve), the rollout: see docs/approval-and-rollout.md.
# rollout:
#   strategies: { gradual: [1, 10, 50, 100], canary: [1] }
#   health:                      # a command or a url, answering {"error_rate": 0.001, "latency_ms": 120}
#     url: http://localhost:9090/health?task={slug}
#     max_error_rate: 0.01
#     max_latency_ms: 500
#   metrics:
#     prometheus_file: metrics/factory.prom
#     statsd: { host: 127.0.0.1, port: 8125, prefix: factory }
`;

export const GLOBAL_CONTRACT_YAML = `# Global contract defaults. A task's .factory/<slug>/contract.yaml overrides them field by field.
forbidden_files:
  - "**/.env"
  - "**/.env.*"
  - "**/*.pem"
  - "**/id_rsa*"
new_dependencies_allowed: false
max_lines_changed: 500
required_test_coverage: 0
`;

/**
 * Lines Factory needs in .gitignore: what runs leave, so that running stages, pipelines and TCR
 * changes no tracked file. Stage results are Nx outputs; workspaces are checkouts; the activity
 * log, LLM usage and transcripts are local history. Decisions (audit.jsonl, status.yaml, the
 * rollout) stay tracked.
 */
export const GITIGNORE_LINES = [
  '.factory/*/results/',
  '.factory/workspaces/',
  '.factory/*/.lock',
  '.factory/**/*.lock/',
  '.factory/*/activity.jsonl',
  '.factory/*/metrics.yaml',
  '.factory/*/llm/',
  '.factory/report.html',
];
/**
 * Nx's own local data (what `nx init` ignores), added when nothing in .gitignore ignores `.nx`
 * already: in a repository that took Nx without `nx init`, its cache and graph files would
 * otherwise be untracked changes, counted by the contract stage and part of the judged tree.
 */
export const NX_GITIGNORE_LINES = ['.nx/cache', '.nx/workspace-data'];
/** Nx must never infer projects from inside a task workspace. */
export const NXIGNORE_LINES = ['.factory/workspaces/'];
