import type { Language } from '../domain/language-names';
import { ProjectFiles } from '../detect/fs';
import { detectGleam } from '../detect/gleam';
import { detectGo } from '../detect/go';
import { detectPython } from '../detect/python';
import { detectRust } from '../detect/rust';
import type { PlannedTool, ProjectProfile, ToolSlot } from '../detect/types';

/** A TypeScript project with every tool configured and installed: tsc, jest, ESLint, Prettier. */
const TYPESCRIPT_TOOLS: Partial<Record<ToolSlot, PlannedTool>> = {
  implement: { tool: 'tsc', command: 'tsc --noEmit -p .', why: 'tsconfig.json' },
  'unit-test': {
    tool: 'jest',
    command: 'jest --coverage --coverageReporters=text-summary --coverageDirectory="$FACTORY_TMP/coverage"',
    why: 'jest.config.js',
    coverage: { parser: 'istanbul-text' },
  },
  coverage: { tool: 'jest', why: 'the unit-test run measures it' },
  lint: { tool: 'eslint', command: 'eslint .', why: 'eslint.config.mjs', findings: 'eslint-stylish' },
  format: { tool: 'prettier', command: 'prettier --check .', why: '.prettierrc', findings: 'file-list' },
};

/**
 * What detection gives a typical project of each language, for tests of what comes after it
 * (pipeline resolution, targets): TypeScript with its usual tools; the others as their detectors
 * see a project with nothing but its manifest.
 */
export function profileFor(language: Language, tools: Partial<Record<ToolSlot, PlannedTool>> = {}): ProjectProfile {
  const none = new ProjectFiles('/nonexistent-factory-test-project');
  const detected =
    language === 'typescript'
      ? TYPESCRIPT_TOOLS
      : language === 'go'
        ? detectGo()
        : language === 'gleam'
          ? detectGleam()
          : language === 'rust'
            ? detectRust(none, '.')
            : (detectPython(none, '.') as Partial<Record<ToolSlot, PlannedTool>>);
  return { language, directory: '.', why: 'test profile', tools: { ...detected, ...tools }, watched: [] };
}
