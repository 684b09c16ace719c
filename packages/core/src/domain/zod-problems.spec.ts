import { TaskFileSchema } from './task';
import { parseWith } from './zod-problems';
import { z } from 'zod';

describe('parseWith', () => {
  const task = { slug: 'bd-1', title: 't', created_at: '2026-01-01T00:00:00Z' };

  it("says what a pattern stands for, in the schema's words, and what was found", () => {
    expect(parseWith(TaskFileSchema, { ...task, base_commit: 'garbage' }, '.factory/bd-1/task.yaml').errors).toEqual([
      { file: '.factory/bd-1/task.yaml', field: 'base_commit', message: 'expected a commit id of 7-64 hex digits, got "garbage"' },
    ]);
  });

  it('shows the pattern itself when the schema says nothing more', () => {
    expect(parseWith(z.object({ h: z.string().regex(/^[0-9a-f]{4}$/) }), { h: 'xyz' }, 'f').errors[0].message).toBe(
      'expected text matching /^[0-9a-f]{4}$/, got "xyz"',
    );
  });

  it('names unknown fields and wrong types', () => {
    expect(parseWith(TaskFileSchema, { ...task, title: 3, extra: 1 }, 'f').errors.map((e) => `${e.field}: ${e.message}`)).toEqual([
      'title: expected a string, got 3',
      '(document): unknown field "extra"',
    ]);
  });
});
