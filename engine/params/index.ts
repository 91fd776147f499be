export { ScenarioSchema, TIERS, CONDITIONS, AGE_BANDS, ADULT_AGE_BANDS, OFF_SITE, type Tier, type Condition, type OffSiteCategory, type ScenarioFile, type ScenarioInput, type PaymentModelSpecT } from './schema.ts';
export { loadScenario, parseScenarioText, resolveScenarioPath, embeddedScenarios, packageRoot, scenarioHash, canonicalJson, deepMerge, DEFAULT_SCENARIO, type LoadedScenario } from './load.ts';
export { asDated, at, listDated, type DatedInput } from './param.ts';
export { valueAt, valueOn, type Dated, type DatedValue } from './dated.ts';
export { jsonSchema } from './json-schema.ts';
