/**
 * The payment-model plugin interface. A payment model is one folder under engine/payment/ (its
 * `spec.ts`: schema part, rules, history years — see spec-part.ts; its `index.ts`: a
 * {@link PaymentPlugin}) and a line in `specs.ts` and `registry.ts`. Nothing outside engine/payment/
 * switches on a model's type: the simulation asks a plugin which years and blocks it reads, how its
 * providers behave and which claim figures it needs; the settlement asks it to pay a year; summaries,
 * tables, reports and `fundcast explain` read what it returns. docs/payment-models.md describes each
 * model and how to add one.
 */
import type { ScenarioFile } from '../params/schema.ts';
import type { Block, Region } from '../population/region.ts';
import type { BehaviourRequest } from '../utilization/variants.ts';
import type { AggLayout, ClaimFigure } from '../utilization/metrics.ts';
import type { PriceIndex } from '../utilization/kernel-params.ts';

export type { AggLayout, ClaimFigure };

export interface PaymentInput {
  region: Region;
  /** Facility-year aggregates of every simulated year (history and horizon), laid out by `layout`. */
  agg: Float64Array;
  layout: AggLayout;
  /** Index into the simulated years of the year to pay. */
  yearIndex: number;
  year: number;
  /** All simulated years; `horizonStart` indexes the horizon's first. */
  years: number[];
  horizonStart: number;
  /** Price index of each simulated year over the cost base year, by cost category (drug, service, inpatient). */
  priceIndex: PriceIndex;
  /**
   * The aggregates holding base year `baseYear` adjudicated under the rules of year `rulesYear`
   * (indices), as the model asked in `restatements`; `agg` itself where the rules are the same.
   */
  restated?(rulesYear: number, baseYear: number): Float64Array;
}

export interface PaymentResult<D = unknown> {
  /** What the fund pays each facility this year, fen (index = facility). */
  fundToFacilityFen: Float64Array;
  /** The fund's total outlay for the year, fen (= Σ fundToFacilityFen + any amount paid elsewhere). */
  fundOutlayFen: number;
  /** The claims' fund share (what fee-for-service would pay), fen — for comparison. */
  claimsFundFen: number;
  /** Money paid to facilities from outside the fund (public-health matching funds), fen per facility. */
  otherToFacilityFen?: Float64Array;
  /**
   * The year's settlement figures, flat (summary.json `settlement`): a name ending in `Fen` is an
   * amount in fen (reported in yuan without the suffix), any other a count, ratio or point value.
   */
  figures: Record<string, number>;
  /**
   * The fund's outlay by stage, fen, summing to fundOutlayFen: `claims` (claims paid as adjudicated)
   * and the stages the model declares in {@link PaymentPlugin.stages}.
   */
  stages: Record<string, number>;
  /** The model's settlement of the year step by step (for `fundcast explain` and tests). */
  detail?: D;
}

export interface PaymentModel<D = unknown> {
  readonly name: string;
  readonly type: string;
  payYear(input: PaymentInput): PaymentResult<D>;
}

/** Provider behaviour under a model: the utilization its patients are simulated with (utilization/variants.ts). */
export type Behaviour = BehaviourRequest;


/** How a settlement figure is named and shown: yuan (reported in 万元), a count, a ratio, or fen per point. */
export interface FigureLabel {
  zh: string;
  en: string;
  unit: 'yuan' | 'count' | 'ratio' | 'fenPerPoint';
}

/** A table of the model's settlement figures for the CLI summary (means across replications). */
export interface SettlementTable {
  title: string;
  columns: { label: string; value: (y: SettlementYear) => number; format: 'wan' | 'ratio' | 'count' | 'millions' | 'fenPerPoint' }[];
}
/** What a settlement table reads of a summarised year. */
export interface SettlementYear {
  year: number;
  settlement: Record<string, { mean: number }>;
}

/** What `fundcast explain --facility` gives a model to explain one facility's year. */
export interface ExplainContext<S, D> {
  spec: S;
  scenario: ScenarioFile;
  result: PaymentResult<D>;
  input: PaymentInput;
  /** Facility index and record. */
  f: number;
  /** A core metric or claim figure of facility `fi` (default f) in simulated year `yi` (default the year paid). */
  metric(k: number | string, fi?: number, yi?: number): number;
  /** `name = value unit [source: …]` of a dated parameter in the year paid. */
  param<T>(name: string, p: { unit: string } | undefined, show?: (v: T) => string): string;
  /** Fen as yuan with two decimals. */
  yuan(fen: number): string;
}

export interface PaymentPlugin<S extends { type: string; name: string } = { type: string; name: string }, D = unknown> {
  readonly type: S['type'];
  /** How reports and tables name the model. */
  readonly label: { zh: string; en: string };
  /** Outlay stages the model books besides `claims`, in order (replications.csv `stage_<name>`). */
  readonly stages: readonly string[];
  /** Labels and units of the model's settlement figures (summary keys, i.e. without `Fen`) for reports. */
  readonly figureLabels: Readonly<Record<string, FigureLabel>>;
  /**
   * The first simulated year (index) the model reads for patients of `block`: the horizon's start
   * when it reads no history, earlier when it does (its spec part's historyYears). Years before it
   * need not be simulated for this model.
   */
  firstYearRead(spec: S, region: Region, horizonStart: number, block: Block): number;
  /** The model's provider behaviour, or null when neutral (the base simulation serves it). */
  behaviour?(spec: S, scenario: ScenarioFile, region: Region): Behaviour | null;
  /**
   * Base years the model needs adjudicated under the rules of a later year it pays (capitation's
   * benefit-change adjustment, F3): simulated-year indices. The simulation restates only the base
   * years whose rules differ (utilization/restate.ts) and `PaymentInput.restated` reads them.
   */
  restatements?(spec: S, scenario: ScenarioFile, years: number[], horizonStart: number): { rulesYear: number; baseYears: number[] }[];
  /** Claim figures the model needs accumulated. */
  claimFigures?(spec: S, scenario: ScenarioFile, years: number[]): ClaimFigure[];
  /** The payer of a scenario's model. */
  create(spec: S, scenario: ScenarioFile, region: Region): PaymentModel<D>;
  /** Its settlement table for the CLI summary (none when it has no settlement of its own). */
  settlementTable?(): SettlementTable;
  /** Its steps of `fundcast explain --facility` (after the facility's claims). */
  explain(ctx: ExplainContext<S, D>): string[];
}
