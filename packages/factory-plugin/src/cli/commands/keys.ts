import { existsSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  formatPublicKeyFile,
  generateSigningKey,
  gitUserEmail,
  loadEvidencePolicy,
  loadSigningKey,
  publicKeyFile,
  resolveKeyId,
  setKeyTrust,
  shortKeyId,
  storeSigningKey,
  validateStageName,
  type TrustEntry,
} from '@factory/core';
import { parseCommandArgs, str } from '../args';
import { UsageError, type CliContext } from '../context';
import { table } from '../format';

export const help = `factory keys <init|list|trust|untrust> [options]

Evidence signing keys (see docs/evidence.md).
  init [--owner <who>] [--no-trust]
        this machine's Ed25519 signing key: the one in FACTORY_SIGNING_KEY (CI), else the
        existing one, else a new one kept in the OS keyring, or in a 0600 file under
        $XDG_CONFIG_HOME/factory/keys/ (~/.config/...) when there is no keyring. Its public key
        goes to .factory/keys/<key id>.pub with its owner (default: git user.email), and it
        is trusted for every stage, approvals and audit checkpoints in .factory/config.yaml
        (unless --no-trust). Commit both. The private key is never written into the workspace
        nor printed.
  list [--json]
        the keys listed in .factory/keys/, their owners, what each is trusted for, and which
        one is this machine's.
  trust <key id> [--stages a,b] [--no-approvals] [--no-audit]
        trust a listed key (a unique prefix of 8+ hex digits will do) for these stages
        (default: every stage), approval summaries and audit checkpoints.
  untrust <key id>
        trust it for nothing (its file stays, so old evidence still names its owner).

Trust lives in .factory/config.yaml, which is part of every task's contract digest: after a
change, stages run again before approval.`;

const ALL: TrustEntry = { stages: ['*'], approvals: true, audit: true };

async function init(ctx: CliContext, args: string[]): Promise<number> {
  const { values } = parseCommandArgs('keys init', args, { owner: { type: 'string' }, 'no-trust': { type: 'boolean' } });
  const owner = str(values.owner)?.trim() || (await gitUserEmail(ctx.root, ctx.env));
  if (!owner) throw new UsageError('factory keys init: say whose key this is: --owner you@example.com (or set git config user.email)');
  const existing = await loadSigningKey({ env: ctx.env, root: ctx.root });
  const { key, source, where } =
    existing ??
    (await (async () => {
      const made = generateSigningKey();
      return { key: made, ...(await storeSigningKey(made, { env: ctx.env, root: ctx.root })) };
    })());
  const id = shortKeyId(key.keyid);
  ctx.out(
    `${existing ? 'Using the signing key' : 'Made a new signing key'} ${id} (${owner}), kept in ${source === 'env' ? `the environment variable ${where}` : where}.\n`,
  );
  const pub = publicKeyFile(key.keyid);
  if (!existsSync(path.join(ctx.root, pub))) {
    mkdirSync(path.dirname(path.join(ctx.root, pub)), { recursive: true });
    writeFileSync(
      path.join(ctx.root, pub),
      formatPublicKeyFile({ keyid: key.keyid, owner, created: new Date().toISOString(), publicKey: key.publicKey }),
    );
    ctx.out(`Listed its public key in ${pub}.\n`);
  } else ctx.out(`Its public key is listed in ${pub} already.\n`);
  if (!values['no-trust']) {
    const policy = loadEvidencePolicy(ctx.root);
    if (!policy.config.trusted_keys[key.keyid]) {
      setKeyTrust(ctx.root, key.keyid, ALL);
      ctx.out(
        'Trusted it for every stage, approvals and audit checkpoints in .factory/config.yaml (the contract digest changes: stages run again).\n',
      );
    }
  }
  ctx.out(`Commit ${pub}${values['no-trust'] ? '' : ' and .factory/config.yaml'}.\n`);
  return 0;
}

function trustText(e: TrustEntry | undefined): string {
  if (!e) return 'nothing';
  const parts = [e.stages.includes('*') ? 'every stage' : `stages ${e.stages.join(', ')}`];
  if (e.approvals) parts.push('approvals');
  if (e.audit) parts.push('audit');
  return parts.join(', ');
}

async function list(ctx: CliContext, args: string[]): Promise<number> {
  const { values } = parseCommandArgs('keys list', args, { json: { type: 'boolean' } });
  const policy = loadEvidencePolicy(ctx.root);
  let mine: string | undefined;
  try {
    mine = (await loadSigningKey({ env: ctx.env, root: ctx.root }))?.key.keyid;
  } catch {
    mine = undefined; // a broken private key does not stop the listing
  }
  const keys = [...policy.keys.values()].map((k) => ({
    keyid: k.keyid,
    owner: k.owner,
    created: k.created ?? null,
    trusted: policy.config.trusted_keys[k.keyid] ?? null,
    this_machine: k.keyid === mine,
  }));
  if (values.json) {
    ctx.out(`${JSON.stringify({ version: 1, keys, problems: policy.keyProblems }, null, 2)}\n`);
    return policy.keyProblems.length ? 1 : 0;
  }
  if (!keys.length) ctx.out('No keys are listed in .factory/keys/. Make one: factory keys init\n');
  else
    ctx.out(
      `${table(
        ['KEY ID', 'OWNER', 'TRUSTED FOR', 'THIS MACHINE'],
        keys.map((k) => [shortKeyId(k.keyid), k.owner, trustText(k.trusted ?? undefined), k.this_machine ? 'yes' : '']),
      )}\n`,
    );
  for (const id of Object.keys(policy.config.trusted_keys).filter((id) => !policy.keys.has(id)))
    ctx.out(`warning: .factory/config.yaml trusts key ${shortKeyId(id)}, which is not listed in .factory/keys/\n`);
  for (const p of policy.keyProblems) ctx.err(`${p.file}: ${p.field}: ${p.message}\n`);
  return policy.keyProblems.length ? 1 : 0;
}

function keyArg(ctx: CliContext, cmd: string, value: string | undefined): string {
  if (!value) throw new UsageError(`factory keys ${cmd}: expected a key id, e.g. factory keys ${cmd} 3f2a9c01 (see factory keys list)`);
  const r = resolveKeyId(value, loadEvidencePolicy(ctx.root).keys.keys());
  if ('error' in r) throw new UsageError(`factory keys ${cmd}: ${r.error}`);
  return r.keyid;
}

async function trust(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('keys trust', args, {
    stages: { type: 'string' },
    'no-approvals': { type: 'boolean' },
    'no-audit': { type: 'boolean' },
  });
  const keyid = keyArg(ctx, 'trust', positionals[0]);
  if (!loadEvidencePolicy(ctx.root).keys.has(keyid))
    throw new UsageError(
      `factory keys trust: key ${shortKeyId(keyid)} is not listed in .factory/keys/; its owner lists it with factory keys init`,
    );
  const stages = str(values.stages)
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean) ?? ['*'];
  for (const s of stages) {
    const v = s === '*' ? undefined : validateStageName(s);
    if (v && !v.ok) throw new UsageError(`factory keys trust: --stages: ${v.error}`);
  }
  const entry: TrustEntry = { stages, approvals: !values['no-approvals'], audit: !values['no-audit'] };
  const changed = setKeyTrust(ctx.root, keyid, entry);
  ctx.out(`${changed ? 'Key' : 'Already: key'} ${shortKeyId(keyid)} is trusted for ${trustText(entry)} (.factory/config.yaml).\n`);
  return 0;
}

async function untrust(ctx: CliContext, args: string[]): Promise<number> {
  const { positionals } = parseCommandArgs('keys untrust', args, {});
  const keyid = keyArg(ctx, 'untrust', positionals[0]);
  const changed = setKeyTrust(ctx.root, keyid, null);
  ctx.out(`${changed ? 'Key' : 'Already: key'} ${shortKeyId(keyid)} is trusted for nothing (.factory/config.yaml).\n`);
  return 0;
}

export async function run(ctx: CliContext, args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  if (verb === 'init') return init(ctx, rest);
  if (verb === 'list') return list(ctx, rest);
  if (verb === 'trust') return trust(ctx, rest);
  if (verb === 'untrust') return untrust(ctx, rest);
  throw new UsageError(
    `factory keys: expected init, list, trust or untrust, got ${verb === undefined ? 'nothing' : JSON.stringify(verb)}; see factory keys --help`,
  );
}
