/**
 * A LanguageModel that replays recorded answers, one per call, and records every request.
 * It stands in for the model itself (which cannot run here) in mode tests; the providers'
 * own wire format is tested against the loopback server.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GenerateRequest, LanguageModel } from '../provider';

export interface ScriptedModel extends LanguageModel {
  readonly requests: GenerateRequest[];
  /** Answers not yet given. */
  readonly left: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const MODE_FIXTURES = path.join(here, '..', '__fixtures__', 'modes');

/** The text of a recorded answer in `src/__fixtures__/modes/<name>`. */
export function recordedAnswer(name: string): string {
  return readFileSync(path.join(MODE_FIXTURES, name), 'utf8');
}

/** Every recorded answer in a folder of `src/__fixtures__/modes/`, by file name. */
export function recordedAnswers(folder: string): Map<string, string> {
  const dir = path.join(MODE_FIXTURES, folder);
  return new Map(
    readdirSync(dir)
      .filter((f) => !f.endsWith('.md'))
      .sort()
      .map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]),
  );
}

const tokens = (text: string) => Math.ceil(text.length / 4);

export function scriptedModel(answers: string[], modelId = 'scripted-1'): ScriptedModel {
  const queue = [...answers];
  const requests: GenerateRequest[] = [];
  return {
    provider: 'openai',
    modelId,
    requests,
    get left() {
      return queue.length;
    },
    async generate(req) {
      requests.push(req);
      const text = queue.shift();
      if (text === undefined) throw new Error(`scripted model: no answer left for request ${requests.length}`);
      const prompt = [req.system ?? '', ...req.messages.map((m) => m.content)].join('\n');
      return {
        text,
        finishReason: 'stop',
        usage: { inputTokens: tokens(prompt), outputTokens: tokens(text) },
        latencyMs: 1,
        model: modelId,
      };
    },
    stream() {
      throw new Error('scripted model: modes do not stream');
    },
    async listModels() {
      return [{ id: modelId }];
    },
  };
}
