/**
 * Claims replay and calibration: the public API (re-exported by engine/index.ts).
 * See docs/replay.md.
 */
export { loadReplayData, runReplay, writeRejects, checkRejectRates, writeReplayResults, reconciliationCsv, scenarioForYears, type LoadOptions, type ReplayData, type ReplayOptions, type ReplayResult, type ReconciliationRow } from './replay.ts';
export { openTable, type TableSource, type OpenOptions } from './source.ts';
export { detectEncoding, encodeGbk, toUtf8, ENCODING_NAMES, type Encoding } from './encoding.ts';
export { FIELDS, loadMapping, mapColumns, normalizeHeader, type FieldDef, type TableKind, type UserMapping } from './columns.ts';
export { REASONS, REASON_KEYS, RowLog, type Reason } from './validate.ts';
export { KNOWN_CONDITIONS, parseConditions, conditionUniverse } from './conditions.ts';
export { syntheticData, headerFor, ENROLLMENT_COLUMNS, CLAIMS_COLUMNS, type Lang } from './synthetic.ts';
