/** The environment variable carrying a stage's resolved spec (JSON) to the stage runner. */
export const STAGE_SPEC_ENV = 'FACTORY_STAGE_SPEC';
