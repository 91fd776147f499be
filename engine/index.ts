/**
 * fundcast's public API: what the CLI, the workers and the notebooks may use. Everything else under
 * engine/ is internal and may change.
 */
export { runScenario, applyOverrides, DEFAULT_MAX_REPLICATIONS, type RunOptions, type RunResult } from './run/run-scenario.ts';
export { runShard, writeShard, shardText, shardFileName, type ShardOptions, type ShardResult, type ShardHeader } from './run/shard.ts';
export { mergeShards, readShardFile, checkShards, shardFiles, type MergedRun } from './run/merge.ts';
export { shardPlan, parseShard, describeUnits, tasksFor, type WorkUnit, type ShardSpec } from './run/units.ts';
export { parseQueueUrl } from './run/queue/protocol.ts';
export type { QueueRunner, QueueRunnerOptions } from './run/queue/runner.ts';
export type { QueueWorker, QueueWorkerOptions } from './run/queue/worker.ts';
// Queue mode is loaded on first use: importing BullMQ takes ≈ 1 s, which every CLI start and every
// worker thread (they import this file) would otherwise pay.
type QueueRunnerModule = typeof import('./run/queue/runner.ts');
type QueueWorkerModule = typeof import('./run/queue/worker.ts');
export const createQueueRunner = async (...a: Parameters<QueueRunnerModule['createQueueRunner']>) => (await import('./run/queue/runner.ts')).createQueueRunner(...a);
export const startQueueWorker = async (...a: Parameters<QueueWorkerModule['startQueueWorker']>) => (await import('./run/queue/worker.ts')).startQueueWorker(...a);
export { loadScenario, parseScenarioText, resolveScenarioPath, embeddedScenarios, scenarioHash, DEFAULT_SCENARIO, type LoadedScenario } from './params/load.ts';
export { jsonSchema } from './params/json-schema.ts';
export { summaryJsonSchema } from './run/summary-schema.ts';
export { closest } from './params/suggest.ts';
export { ScenarioSchema, TIERS, OFF_SITE, CONDITIONS, type ScenarioFile, type Tier, type Condition } from './params/schema.ts';
export { at, asDated, listDated, type DatedInput } from './params/param.ts';
export { compile, simulateBlocks, simulatedYears, type Compiled } from './run/simulate.ts';
export { createRunner, type Runner, type SimTask, type SimTaskResult } from './run/pool.ts';
export { settleReplication, paymentInput } from './run/settle-replication.ts';
export { runSensitivity } from './run/sensitivity.ts';
export { runMonteCarloOnly } from './run/monte-carlo-only.ts';
export { TIER_GROUPS, type ReplicationResult, type ModelYear, type TierYear, type TierGroup } from './ledger/results.ts';
export { summarize, type Summary, type SummaryYear, type SummaryHorizon } from './run/summarize.ts';
export { runChecks, type RunChecks, type RunWarning } from './run/run-checks.ts';
export { runOut, type RunOut } from './risk/run-out.ts';
export { budgetGapNote, firstYearText, runOutSentence, wilson, wilsonNote } from './report/headline.ts';
export { regionAsRun } from './report/region-as-run.ts';
export { isLang, LANGS, type Lang } from './report/i18n.ts';
export { aggregateLoss, type AggregateLoss, type AggregateLossOptions, type FrequencySpec, type SeveritySpec } from './risk/aggregate-loss.ts';
export { collectiveRisk, type CollectiveRisk, type CollectiveFit } from './risk/collective-risk.ts';
export { normalTailProbability, normalCdf, type NormalTail } from './risk/normal-tail.ts';
export { shareEstimate, type ShareEstimate } from './risk/probability.ts';
export { parsePrecision, formatTarget, precisionMetrics, batchSchedule, nextBatchEnd, type PrecisionTarget, type PrecisionReport, type PrecisionMetric } from './risk/precision.ts';
export { applyScale, regionScale } from './params/scale.ts';
export { openingBalanceFen, checkOpening, type OpeningCheck } from './ledger/opening-balance.ts';
export { csvCell, csvLine, csvTable, encodeCsv, CSV_ENCODINGS, isCsvEncoding, type CsvEncoding } from './csv/write.ts';
export { describe, type Description } from './risk/describe.ts';
export { writeResults, replicationRows, packageVersion } from './report/write-results.ts';
export { openOutputSet, withOutputSet, checkWritableFolder, commitFiles, type OutputSet, type OutputSetOptions } from './report/output-set.ts';
export { loadRunDir } from './report/load-run-dir.ts';
export { writeReport, type ReportOptions, type ReportOutput } from './report/write-report.ts';
export { buildCharts, applicableCharts, CHARTS } from './report/charts/index.ts';
export { adjudicateClaim, newBenefitYear, deductibleApplied, effectiveRatio, fundShare, type ClaimInput, type ClaimResult, type BenefitYearState } from './benefits/index.ts';
export { largestRemainderSplit, yuanToFen, fenToYuan, applyRate } from './money/index.ts';
export { ledgerYears, reserveMonths, readReserve, type LedgerYear } from './ledger/index.ts';
export { feeForService, paymentModel, plugin, PAYMENT_PLUGINS, type SettlementTable, type PaymentModel, type PaymentPlugin, type PaymentInput, type PaymentResult } from './payment/index.ts';
export { Rng, streamState, Purpose } from './rng/index.ts';
export { FundcastError, ScenarioError, Errors, formatIssue, EXIT_USER_ERROR, type ScenarioIssue } from './errors.ts';
export { Metric, CORE_METRICS, type AggLayout } from './utilization/metrics.ts';
export type { ClaimTrace, PatientYearTrace } from './utilization/kernel.ts';
export { synthesizeBlock } from './population/synthesize.ts';
export { buildRegion, type Region, type Facility } from './population/region.ts';
export { rejectsFiles } from './replay/replay.ts';
export { ymdText } from './replay/values.ts';
export { loadReplayData, runReplay, writeRejects, checkRejectRates, writeReplayResults, openTable, FIELDS as REPLAY_FIELDS, REASONS as REJECT_REASONS, syntheticData, encodeGbk, type LoadOptions as ReplayLoadOptions, type ReplayData, type ReplayOptions, type ReplayResult } from './replay/index.ts';
export { calibrate, fragmentYaml, fragmentText, checkFragment, paramReport, writeFragment, type Fit as CalibrationFit, type ParamLine } from './replay/calibrate.ts';
export { backtest, backtestCsv, backtestJson, writeBacktest, BACKTEST_MEASURES, type BacktestOptions, type BacktestResult, type BacktestRow } from './backtest/backtest.ts';

/** Write results.xlsx (into `into`, by default DIR) from a run directory (exceljs loads on demand: workers never pay for it). */
export async function writeWorkbook(dir: string, lang: 'zh' | 'en' = 'zh', into = dir): Promise<string> {
  return (await import('./report/xlsx.ts')).writeWorkbook(dir, lang, into);
}
