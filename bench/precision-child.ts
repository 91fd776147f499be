/**
 * `npm run bench -- --only precision` (bench/run.ts), in a process of its own. Two measurements:
 *
 * - `precision`: `runScenario` with `precision` (docs/risk.md "Precision targets") on
 *   `payment-comparison` (FFS, capitation, points on common random numbers) with its uncertain
 *   parameters held at their values (Monte Carlo only), every county's residents × `residentsScale`
 *   (2.12 ≈ the city's 600,000 patients), first batch `first` replications: the wall time, the
 *   replications it stopped at, and the achieved half-widths. Then, in the same process, a plain run
 *   of 2 more replications: the difference is the marginal seconds per replication, so a fixed
 *   200-replication run (the fixed cost + 200 × the marginal) can be set against the precision run.
 * - `normalTail`: the variance of P(balance < 0) estimated by the normal approximation
 *   (engine/risk/normal-tail.ts) against the share of negative balances, on `groups` groups of
 *   `groupSize` replications of a region of `residents` residents (FFS, parameters fixed, the
 *   chronic budget's share set so that about 30% of the last year's balances are negative): the
 *   variance ratio Var(share) ÷ Var(normal) across groups, the delta method's prediction, and both
 *   estimates on all replications (brute force).
 *
 * - `controlVariates`: a scenario with uncertain parameters (`fund-forecast`), `replications`
 *   replications, no sensitivity runs: per model the plain and control-variate estimates of the horizon
 *   outlay, P(ruin) and the paired difference, with the estimated variance ratio (summary.controlVariates).
 *
 * Usage: node --import tsx bench/precision-child.ts '<json PrecisionChildConfig>'; prints one JSON line.
 */
import { fenToYuan, loadScenario, parseScenarioText, runScenario, shareEstimate, normalTailProbability, type LoadedScenario, type PrecisionReport } from '../engine/index.ts';

export type PrecisionChildConfig =
  | { part: 'precision'; residentsScale: number; workers: number; first: number; precision: { outlay?: number; difference?: number; ruin?: number }; maxReplications: number }
  | { part: 'normalTail'; residents: number; years: number; groups: number; groupSize: number; workers: number }
  | { part: 'controlVariates'; scenario: string; replications: number; workers: number };

export interface PrecisionChildResult {
  config: PrecisionChildConfig;
  precision?: { wallSeconds: number; replications: number; cohort: number; marginalSecondsPerReplication: number; fixedSeconds: number; report: PrecisionReport };
  normalTail?: {
    replications: number;
    patients: number;
    year: number;
    varianceShare: number;
    varianceNormal: number;
    varianceRatio: number;
    predictedRatio: number;
    bruteForce: { value: number; se: number };
    normal: { value: number; se: number; holds: boolean; jarqueBera: number };
    wallSeconds: number;
  };
  controlVariates?: { scenario: string; replications: number; controls: number; wallSeconds: number; models: { name: string; horizonOutlay: CvRow; ruin: CvRow; differenceFromFirst?: CvRow }[] };
}

interface CvRow {
  plain: { value: number; se: number };
  value: number;
  se: number;
  varianceRatio: number;
  rSquared: number;
  holds: boolean;
}

function monteCarloOnly(name: string, k: number): LoadedScenario {
  const l = loadScenario(name);
  const region = l.scenario.region;
  return { ...l, scenario: { ...l.scenario, uncertainty: [], sensitivity: undefined, region: { ...region, counties: region.counties.map((c) => ({ ...c, residents: Math.round(c.residents * k) })) } } };
}

function regionText(residents: number, years: number, replications: number, share: number): string {
  return `fundcast: 1
extends: wuhu-default
name: bench-normal-tail
replications: ${replications}
horizon: { startYear: 2025, years: ${years} }
region:
  residentsPerTownship: 10000
  counties:
    - { id: bench, name: 基准县, residents: ${residents}, urbanShare: 0.5 }
uncertainty: []
financing:
  chronicBudgetShare: { unit: share, source: "assumption: bench (about 30% of balances negative)", value: ${share} }
  openingBalance: { unit: yuan, source: "assumption: bench", value: 0 }
`;
}

const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
const variance = (xs: number[]) => {
  const m = mean(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
};

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2]) as PrecisionChildConfig;
  const out: PrecisionChildResult = { config: cfg };
  if (cfg.part === 'controlVariates') {
    const l = loadScenario(cfg.scenario);
    const r = await runScenario({ ...l, scenario: { ...l.scenario, sensitivity: undefined } }, { workers: cfg.workers, replications: cfg.replications });
    const cv = r.summary.controlVariates!;
    const row = (e: CvRow): CvRow => ({ plain: e.plain, value: e.value, se: e.se, varianceRatio: e.varianceRatio, rSquared: e.rSquared, holds: e.holds });
    out.controlVariates = {
      scenario: cfg.scenario,
      replications: r.replications.length,
      controls: cv.controls.length,
      wallSeconds: r.wallSeconds,
      models: cv.models.map((m) => ({ name: m.name, horizonOutlay: row(m.horizonOutlay), ruin: row(m.ruin), ...(m.differenceFromFirst ? { differenceFromFirst: row(m.differenceFromFirst) } : {}) })),
    };
  } else if (cfg.part === 'precision') {
    const loaded = monteCarloOnly('payment-comparison', cfg.residentsScale);
    const r = await runScenario(loaded, { workers: cfg.workers, replications: cfg.first, precision: cfg.precision, maxReplications: cfg.maxReplications });
    // A plain run of 2 more replications: the marginal seconds per replication (its difference from
    // the precision run, which did the same work as a plain run of its replications).
    const n = r.replications.length;
    const plain = await runScenario(loaded, { workers: cfg.workers, replications: n + 2 });
    const marginal = Math.max(0, (plain.wallSeconds - r.wallSeconds) / 2);
    out.precision = { wallSeconds: r.wallSeconds, replications: n, cohort: r.summary.models[0].years[0].patients.mean, marginalSecondsPerReplication: marginal, fixedSeconds: Math.max(0, r.wallSeconds - n * marginal), report: r.precision! };
  } else {
    const t0 = performance.now();
    const n = cfg.groups * cfg.groupSize;
    const last = cfg.years - 1;
    const pilot = await runScenario({ ...parseScenarioText(regionText(cfg.residents, cfg.years, 40, 0.5), '<bench>') }, { workers: cfg.workers });
    const ratios = pilot.replications.map((r) => {
      const ys = r.models[0].years;
      return ys.reduce((a, y) => a + y.fundOutlayFen, 0) / ys.reduce((a, y) => a + y.ledger.incomeFen, 0);
    }).sort((a, b) => a - b);
    const share = Math.round(ratios[Math.floor(0.7 * ratios.length)] * 1e6) / 1e6;
    const run = await runScenario(parseScenarioText(regionText(cfg.residents, cfg.years, n, share), '<bench>'), { workers: cfg.workers });
    const bal = run.replications.map((r) => fenToYuan(r.models[0].years[last].ledger.closingBalanceFen));
    const shares: number[] = [];
    const normals: number[] = [];
    for (let g = 0; g < cfg.groups; g++) {
      const xs = bal.slice(g * cfg.groupSize, (g + 1) * cfg.groupSize);
      shares.push(xs.filter((x) => x < 0).length / xs.length);
      normals.push(normalTailProbability(xs).value);
    }
    const bf = shareEstimate(bal.filter((x) => x < 0).length, n);
    const nt = normalTailProbability(bal);
    const m = cfg.groupSize;
    // Delta method per group: Var(share) = p(1−p)/m, Var(normal) = φ(z)²(1/m + z²/(2(m−1))).
    const z = nt.z;
    const phi = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    out.normalTail = {
      replications: n,
      patients: run.summary.models[0].years[last].patients.mean,
      year: run.summary.years[last],
      varianceShare: variance(shares),
      varianceNormal: variance(normals),
      varianceRatio: variance(shares) / variance(normals),
      predictedRatio: (nt.value * (1 - nt.value)) / m / (phi * phi * (1 / m + (z * z) / (2 * (m - 1)))),
      bruteForce: { value: bf.value, se: bf.se },
      normal: { value: nt.value, se: nt.se, holds: nt.holds, jarqueBera: nt.jarqueBera },
      wallSeconds: (performance.now() - t0) / 1000,
    };
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
  process.stderr.write(String(e instanceof Error ? e.stack : e) + '\n');
  process.exit(1);
});
