import type { GenerateRequest, LanguageModel } from '../provider';
import { wrapModel } from './wrap';

export interface RequestDefaults {
  maxOutputTokens?: number;
  temperature?: number;
}

/** Fills `maxOutputTokens` and `temperature` from the config where the request leaves them out. */
export function withDefaults(model: LanguageModel, defaults: RequestDefaults): LanguageModel {
  const fill = (req: GenerateRequest): GenerateRequest => ({
    ...req,
    maxOutputTokens: req.maxOutputTokens ?? defaults.maxOutputTokens,
    temperature: req.temperature ?? defaults.temperature,
  });
  return wrapModel(model, {
    generate: (req) => model.generate(fill(req)),
    stream: (req) => model.stream(fill(req)),
  });
}
