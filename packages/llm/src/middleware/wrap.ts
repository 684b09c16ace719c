import type { GenerateRequest, GenerateResult, LanguageModel, ModelInfo, StreamChunk } from '../provider';

/** The parts of a LanguageModel a middleware replaces; the rest pass through to `model`. */
export interface ModelOverrides {
  generate?: (req: GenerateRequest) => Promise<GenerateResult>;
  stream?: (req: GenerateRequest) => AsyncIterable<StreamChunk>;
  listModels?: (opts?: { signal?: AbortSignal }) => Promise<ModelInfo[]>;
}

/** A LanguageModel that behaves like `model` except where `overrides` say otherwise. */
export function wrapModel(model: LanguageModel, overrides: ModelOverrides): LanguageModel {
  return {
    provider: model.provider,
    modelId: model.modelId,
    generate: overrides.generate ?? ((req) => model.generate(req)),
    stream: overrides.stream ?? ((req) => model.stream(req)),
    listModels: overrides.listModels ?? ((opts) => model.listModels(opts)),
  };
}
