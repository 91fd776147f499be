/**
 * Tiny scenarios with several payment models, for the payment-model tests (test/payment/). Same idea
 * as `tiny.ts` (the embedded default region's rules on a small region, a whole run well under a
 * second), plus builders for the `paymentModels:` list and access to a model's year detail through
 * the engine's internals (compile → simulateBlocks → payYear), which `runScenario` does not return.
 */
import { parseScenarioText, type LoadedScenario } from '../../engine/params/load.ts';
import type { PaymentModelSpecT } from '../../engine/params/schema.ts';
import { paymentModel, type PaymentResult } from '../../engine/payment/index.ts';
import { compile, simulateBlocks, type Compiled } from '../../engine/run/simulate.ts';
import { paymentInput } from '../../engine/run/settle-replication.ts';

export interface CountySpec {
  id: string;
  residents: number;
  urbanShare?: number;
}

export interface RegionOptions {
  /** Default: one county `tiny` of 40,000 residents. */
  counties?: CountySpec[];
  /** Residents per township centre = per block (default 10,000). */
  residentsPerTownship?: number;
  replications?: number;
  years?: number;
  seed?: number;
  /** More top-level YAML (e.g. a `utilization:` override), appended before `paymentModels:`. */
  extra?: string;
}

/** A scenario text: the embedded default's rules on a tiny region, paid by `models` (YAML list items). */
export function scenarioText(models: string[], o: RegionOptions = {}): string {
  const counties = o.counties ?? [{ id: 'tiny', residents: 40_000 }];
  return `fundcast: 1
extends: wuhu-default
name: payment-test
seed: ${o.seed ?? 20250403}
replications: ${o.replications ?? 2}
horizon: { startYear: 2025, years: ${o.years ?? 2} }
region:
  residentsPerTownship: ${o.residentsPerTownship ?? 10000}
  counties:
${counties.map((c) => `    - { id: ${c.id}, name: 县${c.id}, residents: ${c.residents}, urbanShare: ${c.urbanShare ?? 0.5} }`).join('\n')}
${/^uncertainty:/m.test(o.extra ?? '') ? '' : '# parameters at their stated values unless a test asks for uncertainty\nuncertainty: []\n'}${o.extra ?? ''}
paymentModels:
${models.join('\n')}
`;
}

export function scenario(models: string[], o: RegionOptions = {}): LoadedScenario {
  return parseScenarioText(scenarioText(models, o), '<payment-test>');
}

/** A dated parameter in flow YAML (JSON is valid flow YAML). */
export function dated(unit: string, value: unknown): string {
  return `{ unit: "${unit}", source: "assumption: test", value: ${JSON.stringify(value)} }`;
}

export interface FfsOptions {
  name?: string;
  volumeResponse?: number;
}

export function ffsYaml(o: FfsOptions = {}): string {
  const lines = [`  - name: ${o.name ?? 'ffs'}`, '    type: feeForService'];
  if (o.volumeResponse !== undefined) lines.push('    behaviour:', `      volumeResponse: ${dated('share', o.volumeResponse)}`);
  return lines.join('\n');
}

export interface CapitationOptions {
  name?: string;
  pilotCounties?: string[];
  historyYears?: number;
  rebase?: 'rolling' | 'fixed';
  covers?: 'outpatient' | 'outpatientAndInpatient';
  trendFactor?: number;
  retentionRate?: number;
  villageShare?: number;
  townshipShare?: number;
  leadShare?: number;
  /** yuan/year per community */
  leadCap?: number;
  fundsPerResident?: number;
  matchingShare?: number;
  assessmentScore?: number;
  withinTierKey?: 'enrolled' | 'signed' | 'workload';
  /** The policy floors of the split and matching share: Wuhu's 40/30/10% (default) or none. */
  floors?: 'wuhu' | 'none';
  /** Behaviour parameters; keys given (even as 0) make a behaviour block. */
  behaviour?: { underService?: number; referralOut?: number };
  /** More lines (4-space indented) appended verbatim. */
  raw?: string[];
}

/** A floor of 芜医保〔2025〕17号 二(四)9 as a dated parameter. */
const WUHU_FLOOR = (v: number) => `{ unit: share, source: "seeds/003 二(四)9 (芜医保〔2025〕17号)", value: ${v} }`;

export function capitationYaml(o: CapitationOptions = {}): string {
  const lines = [
    `  - name: ${o.name ?? 'cap'}`,
    '    type: capitation',
    ...(o.pilotCounties ? [`    pilotCounties: [${o.pilotCounties.join(', ')}]`] : []),
    ...(o.historyYears !== undefined ? [`    historyYears: ${o.historyYears}`] : []),
    ...(o.rebase ? [`    rebase: ${o.rebase}`] : []),
    ...(o.covers ? [`    covers: ${o.covers}`] : []),
    `    trendFactor: ${dated('factor', o.trendFactor ?? 1)}`,
    '    retention:',
    `      retentionRate: ${dated('share', o.retentionRate ?? 1)}`,
    `      villageShare: ${dated('share', o.villageShare ?? 0.4)}`,
    `      townshipShare: ${dated('share', o.townshipShare ?? 0.3)}`,
    ...((o.floors ?? 'wuhu') === 'wuhu'
      ? ['      floors:', `        villageShare: ${WUHU_FLOOR(0.4)}`, `        townshipShare: ${WUHU_FLOOR(0.3)}`]
      : []),
    '    overspend:',
    `      leadShare: ${dated('share', o.leadShare ?? 0.5)}`,
    ...(o.leadCap !== undefined ? [`      leadCap: ${dated('yuan/year', o.leadCap)}`] : []),
    '    publicHealth:',
    `      fundsPerResident: ${dated('yuan/person/year', o.fundsPerResident ?? 94)}`,
    `      matchingShare: ${dated('share', o.matchingShare ?? 0.1)}`,
    ...((o.floors ?? 'wuhu') === 'wuhu' ? [`      matchingFloor: ${WUHU_FLOOR(0.1)}`] : []),
    `      assessmentScore: ${dated('share', o.assessmentScore ?? 0.9)}`,
    ...(o.withinTierKey ? [`    withinTierKey: ${o.withinTierKey}`] : []),
  ];
  if (o.behaviour) {
    lines.push('    behaviour:');
    for (const [k, v] of Object.entries(o.behaviour)) if (v !== undefined) lines.push(`      ${k}: ${dated('share', v)}`);
  }
  return [...lines, ...(o.raw ?? [])].join('\n');
}

export interface PointsOptions {
  name?: string;
  covers?: 'outpatient' | 'outpatientAndInpatient';
  basis?: 'history' | 'fixed';
  /** Omit with `null`. */
  growthRate?: number | null;
  /** yuan/year, for basis fixed. */
  amount?: number;
  capabilityCoefficient?: string;
  facilityCoefficient?: { village: number; township: number; hospital: number };
  withholdShare?: number;
  pointInflation?: { village: number; township: number; hospital: number };
  pointsPerYuan?: number;
}

export function pointsYaml(o: PointsOptions = {}): string {
  const basis = o.basis ?? 'history';
  const growth = o.growthRate === undefined ? (basis === 'history' ? 0.05 : null) : o.growthRate;
  const lines = [
    `  - name: ${o.name ?? 'pts'}`,
    '    type: points',
    ...(o.covers ? [`    covers: ${o.covers}`] : []),
    '    budget:',
    `      basis: ${basis}`,
    ...(growth !== null ? [`      growthRate: ${dated('share/year', growth)}`] : []),
    ...(o.amount !== undefined ? [`      amount: ${dated('yuan/year', o.amount)}`] : []),
    '    itemPoints:',
    `      pointsPerYuan: ${dated('points/yuan', o.pointsPerYuan ?? 1)}`,
    '    physicianPoints:',
    `      refillPoints: ${dated('points/visit', 45)}`,
    `      consultPoints: ${dated('points/visit', 15)}`,
    `      capabilityCoefficient: ${JSON.stringify(o.capabilityCoefficient ?? '0.9 + 0.2 * signedShare')}`,
    `    facilityCoefficient: ${dated('factor', o.facilityCoefficient ?? { village: 1, township: 1, hospital: 1 })}`,
    '    preSettlement:',
    `      withholdShare: ${dated('share', o.withholdShare ?? 0.1)}`,
  ];
  if (o.pointInflation) lines.push('    behaviour:', `      pointInflation: ${dated('share', o.pointInflation)}`);
  return lines.join('\n');
}

/** One replication simulated through the engine's internals: every model's payment of every horizon year. */
export interface Internals {
  c: Compiled;
  /** All variants' facility-year aggregates of the replication. */
  all: Float64Array;
  /** The aggregates model `name` reads (its utilization variant). */
  aggOf(name: string): Float64Array;
  spec(name: string): PaymentModelSpecT;
  /** `payYear` of model `name` for horizon year `hi` (0-based). */
  pay(name: string, hi: number): PaymentResult;
}

export function internals(loaded: LoadedScenario, rep: number): Internals {
  const c = compile(loaded.scenario);
  const all = simulateBlocks(c, rep, 0, c.region.blocks.length);
  const index = (name: string) => {
    const i = c.scenario.paymentModels.findIndex((m) => m.name === name);
    if (i < 0) throw new Error(`test bug: no payment model "${name}"`);
    return i;
  };
  const aggOf = (name: string) => {
    const v = c.modelVariant[index(name)];
    return all.subarray(v * c.aggSize, (v + 1) * c.aggSize);
  };
  const spec = (name: string) => c.scenario.paymentModels[index(name)];
  return {
    c,
    all,
    aggOf,
    spec,
    pay(name, hi) {
      const yi = c.horizonStart + hi;
      return paymentModel(spec(name), c.scenario, c.region).payYear(paymentInput(c, all, index(name), yi));
    },
  };
}

export const sum = (xs: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s;
};
