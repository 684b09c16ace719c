import { jest } from '@jest/globals';
import { chmodSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tcrRepo, type TcrRepo } from '../testing/tcr-repo';
import type { WorkspaceRef } from './backend';
import { GitWorktreeBackend } from './git-backend';

jest.setTimeout(60_000);

/** Every file of a directory (not .git), path → bytes and mode, for byte-for-byte comparisons. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (f === '.git' || f.startsWith(`.git${path.sep}`)) continue;
    const full = path.join(dir, f);
    const st = statSync(full);
    if (st.isFile()) out[f] = `${(st.mode & 0o111) !== 0 ? 'x' : '-'} ${readFileSync(full).toString('base64')}`;
  }
  return out;
}

describe('GitWorktreeBackend', () => {
  let repo: TcrRepo;
  let backend: GitWorktreeBackend;
  let ws: WorkspaceRef;
  let base: string;
  beforeEach(async () => {
    repo = tcrRepo();
    backend = new GitWorktreeBackend(repo.root);
    base = repo.git('rev-parse', 'HEAD').trim();
    ws = { slug: 'bd-1', dir: path.join(repo.root, '.factory/workspaces/bd-1') };
    await backend.create({ slug: 'bd-1', dir: ws.dir, base });
  });
  afterEach(() => repo.cleanup());
  const w = (f: string, c: string | Buffer) => writeFileSync(path.join(ws.dir, f), c);
  const wsFile = (f: string) => `.factory/workspaces/bd-1/${f}`;

  describe('create', () => {
    it('checks out a new branch factory/<slug> at the base commit', async () => {
      expect(repo.gitIn('.factory/workspaces/bd-1', 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('factory/bd-1');
      expect(await backend.head(ws)).toBe(base);
      expect(await backend.list()).toEqual([{ slug: 'bd-1', dir: ws.dir, head: base, branch: 'factory/bd-1' }]);
    });

    it('reuses an existing branch with its commits after the workspace was removed', async () => {
      w('src/more.js', 'module.exports = 2;\n');
      const made = await backend.commit(ws, 'bd-1: more');
      await backend.remove(ws);
      expect(repo.exists(wsFile('src/more.js'))).toBe(false);
      const again = await backend.create({ slug: 'bd-1', dir: ws.dir, base });
      expect(again.reused).toBe(true);
      expect(await backend.head(ws)).toBe(made?.commit);
    });
  });

  describe('commit', () => {
    it('commits every change, new and deleted files too, with the message written from the files', async () => {
      w('src/new.js', 'n\n');
      repo.remove(wsFile('src/keep.js'));
      const made = await backend.commit(ws, (files) => `bd-1: ${files.map((f) => `${f.kind} ${f.path}`).join(', ')}`);
      expect(made?.files).toEqual([
        { path: 'src/keep.js', kind: 'deleted' },
        { path: 'src/new.js', kind: 'added' },
      ]);
      expect(repo.gitIn('.factory/workspaces/bd-1', 'log', '-1', '--format=%s').trim()).toBe('bd-1: deleted src/keep.js, added src/new.js');
      expect(repo.gitIn('.factory/workspaces/bd-1', 'status', '--porcelain')).toBe('');
    });

    it('commits and saves as Factory where git has no identity, and as the user where it has one', async () => {
      // No identity in the repository, no global or system config, and no guessing from the host name: git knows nobody.
      for (const key of ['user.email', 'user.name']) repo.git('config', '--unset-all', key);
      const saved = { ...process.env };
      Object.assign(process.env, {
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: 'user.useConfigOnly',
        GIT_CONFIG_VALUE_0: 'true',
      });
      delete process.env.EMAIL;
      try {
        w('src/new.js', 'n\n');
        await backend.commit(ws, 'bd-1: anonymous');
        expect(repo.gitIn('.factory/workspaces/bd-1', 'log', '-1', '--format=%an <%ae> / %cn <%ce>').trim()).toBe(
          'Factory <factory@localhost> / Factory <factory@localhost>',
        );
        w('src/other.js', 'o\n');
        const kept = await backend.save(ws, 'reverted', 'bd-1: attempt');
        expect(repo.gitIn('.factory/workspaces/bd-1', 'log', '-1', '--format=%an', kept?.saved.ref ?? 'missing').trim()).toBe('Factory');
      } finally {
        for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
        Object.assign(process.env, saved);
      }
      const configured = new GitWorktreeBackend(repo.root);
      repo.gitIn('.factory/workspaces/bd-1', 'config', 'user.email', 'ann@example.com');
      repo.gitIn('.factory/workspaces/bd-1', 'config', 'user.name', 'Ann');
      w('src/third.js', 't\n');
      await configured.commit(ws, 'bd-1: as Ann');
      expect(repo.gitIn('.factory/workspaces/bd-1', 'log', '-1', '--format=%an <%ae>').trim()).toBe('Ann <ann@example.com>');
    });

    it('commits nothing when the working copy is clean', async () => {
      expect(await backend.commit(ws, 'x')).toBeUndefined();
      expect(await backend.head(ws)).toBe(base);
    });
  });

  describe('save', () => {
    it('keeps the working copy as a commit under refs/factory/<slug>/<kind>/<n> without touching files or index', async () => {
      w('src/index.js', 'module.exports = 2;\n');
      w('src/new.js', 'n\n');
      repo.gitIn('.factory/workspaces/bd-1', 'add', 'src/index.js');
      const status = repo.gitIn('.factory/workspaces/bd-1', 'status', '--porcelain');
      const first = await backend.save(ws, 'reverted', 'attempt one');
      const second = await backend.save(ws, 'reverted', 'attempt two');
      expect(first?.saved).toMatchObject({
        kind: 'reverted',
        n: 1,
        ref: 'refs/factory/bd-1/reverted/1',
        parent: base,
        subject: 'attempt one',
      });
      expect(second?.saved.n).toBe(2);
      expect(first?.files).toEqual([
        { path: 'src/index.js', kind: 'modified' },
        { path: 'src/new.js', kind: 'added' },
      ]);
      expect(repo.gitIn('.factory/workspaces/bd-1', 'status', '--porcelain')).toBe(status);
      expect(repo.git('show', 'refs/factory/bd-1/reverted/1:src/new.js')).toBe('n\n');
      expect((await backend.listSaved('bd-1')).map((s) => s.ref)).toEqual(['refs/factory/bd-1/reverted/1', 'refs/factory/bd-1/reverted/2']);
    });

    it('saves nothing from a clean working copy, and no copy of the same state when asked', async () => {
      expect(await backend.save(ws, 'reverted', 'x')).toBeUndefined();
      w('src/new.js', 'n\n');
      const first = await backend.save(ws, 'reverted', 'x');
      const same = await backend.save(ws, 'reverted', 'y', { unlessSameAs: first?.saved });
      expect(same?.saved.ref).toBe(first?.saved.ref);
      expect(await backend.listSaved('bd-1', 'reverted')).toHaveLength(1);
    });
  });

  describe('revert', () => {
    it('puts modified and deleted files back, removes added ones with their empty folders', async () => {
      const before = snapshot(ws.dir);
      w('src/index.js', 'changed\n');
      repo.remove(wsFile('src/keep.js'));
      repo.write(wsFile('lib/deep/new.js'), 'n\n');
      repo.write(wsFile('staged.js'), 's\n');
      repo.gitIn('.factory/workspaces/bd-1', 'add', 'staged.js');
      const saved = await backend.save(ws, 'reverted', 'x');
      await backend.revert(ws, saved?.files ?? []);
      expect(snapshot(ws.dir)).toEqual(before);
      expect(repo.exists(wsFile('lib'))).toBe(false);
      expect(repo.gitIn('.factory/workspaces/bd-1', 'status', '--porcelain')).toBe('');
    });
  });

  describe('restoreSaved', () => {
    it('brings a saved state back byte for byte: modified, new, deleted, binary and executable files', async () => {
      w('src/index.js', 'changed\n');
      w('bin.dat', Buffer.from([0, 1, 2, 255, 0]));
      w('run.sh', '#!/bin/sh\necho hi\n');
      chmodSync(path.join(ws.dir, 'run.sh'), 0o755);
      repo.remove(wsFile('src/keep.js'));
      const attempt = snapshot(ws.dir);
      const saved = await backend.save(ws, 'reverted', 'x');
      await backend.revert(ws, saved?.files ?? []);
      expect(snapshot(ws.dir)).not.toEqual(attempt);
      await backend.restoreSaved(ws, saved!.saved);
      expect(snapshot(ws.dir)).toEqual(attempt);
      expect(await backend.savedFiles(ws, saved!.saved)).toHaveLength(4);
    });

    it('applies the saved change three-way when the workspace has moved on', async () => {
      w('src/new.js', 'attempt\n');
      const saved = await backend.save(ws, 'reverted', 'x');
      await backend.revert(ws, saved?.files ?? []);
      w('src/other.js', 'committed later\n');
      await backend.commit(ws, 'bd-1: later');
      await backend.restoreSaved(ws, saved!.saved);
      expect(repo.read(wsFile('src/new.js'))).toBe('attempt\n');
      expect(repo.read(wsFile('src/other.js'))).toBe('committed later\n');
    });
  });

  describe('restoreFrom', () => {
    it('makes the content that of n commits ago as uncommitted changes, keeping the history', async () => {
      w('src/index.js', 'v2\n');
      await backend.commit(ws, 'v2');
      w('src/index.js', 'v3\n');
      const v3 = await backend.commit(ws, 'v3');
      w('scratch.js', 'x\n');
      await backend.restoreFrom(ws, 1);
      expect(repo.read(wsFile('src/index.js'))).toBe('v3\n');
      expect(repo.exists(wsFile('scratch.js'))).toBe(false);
      await backend.restoreFrom(ws, 3);
      expect(repo.read(wsFile('src/index.js'))).toBe('module.exports = 1;\n');
      expect(await backend.head(ws)).toBe(v3?.commit);
      await expect(backend.restoreFrom(ws, 9)).rejects.toThrow(/history has 3 commit/);
    });
  });

  describe('state', () => {
    it('counts uncommitted files and commits on no other branch', async () => {
      w('src/index.js', 'v2\n');
      await backend.commit(ws, 'v2');
      w('x.js', 'x\n');
      const s = await backend.state(ws);
      expect(s.uncommitted).toEqual([{ path: 'x.js', kind: 'added' }]);
      expect(s.unmerged).toBe(1);
      repo.git('merge', '-q', '--ff-only', 'factory/bd-1');
      expect((await backend.state(ws)).unmerged).toBe(0);
    });
  });

  describe('recover', () => {
    it('removes lock files a killed run left, and leaves older ones alone', async () => {
      const gitDir = await backend.gitDir(ws);
      const common = path.join(repo.root, '.git');
      writeFileSync(path.join(gitDir, 'index.lock'), '');
      writeFileSync(path.join(common, 'refs/heads/factory/bd-1.lock'), '');
      writeFileSync(path.join(gitDir, 'HEAD.lock'), '');
      const old = new Date(Date.now() - 3_600_000);
      utimesSync(path.join(gitDir, 'HEAD.lock'), old, old);
      const removed = await backend.recover(ws, Date.now() - 60_000);
      expect(removed.map((f) => path.basename(f)).sort()).toEqual(['bd-1.lock', 'index.lock']);
      expect(statSync(path.join(gitDir, 'HEAD.lock')).isFile()).toBe(true);
      rmSync(path.join(gitDir, 'HEAD.lock'));
      w('x.js', 'x\n');
      expect((await backend.commit(ws, 'after recovery'))?.files).toHaveLength(1);
    });
  });
});
