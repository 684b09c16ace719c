/** Gates: pure checks of a diff against a contract, dependency manifests and secrets. */
export * from './changes';
export * from './contract-check';
export * from './dependencies';
export * from './disabled-tests';
export * from './line-budget';
export * from './secrets';
export { EcosystemSchema, type Ecosystem, type DeclaredDependency, type ParsedManifest } from './manifest-types';
export { normalizePythonName, parseRequirement, type Requirement } from './pep508';
