/**
 * The resource guard: estimate a run's memory before it starts and refuse, with the estimate, when it
 * would not fit — rather than crash half-way. The estimate is deliberately simple and conservative:
 * a fixed cost per thread (V8 isolate, modules), each thread's largest task (a block's patients and
 * its aggregates), and the results held until the summary (per replication × model × year).
 */
import { existsSync, readFileSync } from 'node:fs';
import { freemem, totalmem } from 'node:os';
import type { Compiled } from './simulate.ts';

const MiB = 1024 * 1024;
/** Measured: a worker thread with the engine loaded holds about 120 MiB; the main thread about 200 MiB. */
const PER_THREAD = 150 * MiB;
const MAIN = 250 * MiB;
/** Bytes per patient in a block's columns and the kernel's working set (measured ~40, with margin). */
const PER_PATIENT = 64;

export interface MemoryEstimate {
  bytes: number;
  parts: Record<string, number>;
}

export function estimateMemory(c: Compiled, replications: number, workers: number): MemoryEstimate {
  const nF = c.region.facilities.length;
  const models = c.scenario.paymentModels.length;
  const nY = c.horizonYears.length;
  // Largest block's patients: its insured residents × the largest registered share (bounded by 1).
  const maxBlockResidents = Math.max(...c.region.blocks.map((b) => b.residents.reduce((a, x) => a + x, 0)));
  const taskBytes = maxBlockResidents * PER_PATIENT + c.variants.length * c.aggSize * 8 * 2;
  const threads = Math.max(1, workers);
  const resultBytes = replications * models * nY * (nF * 8 + 4000);
  const parts = {
    threads: MAIN + (workers > 1 ? threads * PER_THREAD : 0),
    tasks: threads * taskBytes,
    // merge buffers: at most one pending aggregate per replication in flight
    merge: Math.min(replications, 4 * threads) * c.variants.length * c.aggSize * 8,
    results: resultBytes,
    aggregatesPerFacilityYear: nF * c.years.length * c.layout.nm * 8,
  };
  return { bytes: Object.values(parts).reduce((a, b) => a + b, 0), parts };
}

/** Memory available to this process: free memory, bounded by a cgroup limit when there is one. */
export function availableMemory(): number {
  let limit = Infinity;
  for (const f of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    if (existsSync(f)) {
      const v = readFileSync(f, 'utf8').trim();
      if (/^\d+$/.test(v)) limit = Math.min(limit, Number(v));
    }
  }
  return Math.min(limit, Math.max(freemem(), totalmem() * 0.5));
}

/**
 * Resident-years one thread simulates per second, at most: the kernel measured 0.7–0.9 million on
 * the development machine (wuhu-default and a 10⁹-resident region, one thread, docs/performance
 * figures vary with the CPU); 5 million is deliberately fast, so the time estimate is a lower bound
 * and a run is refused only when it certainly would not finish in the time allowed.
 */
export const RESIDENT_YEARS_PER_SECOND = 5_000_000;
/** Default longest run allowed on this machine (`--max-hours`), hours. */
export const DEFAULT_MAX_HOURS = 24;

export interface TimeEstimate {
  /** Seconds at least. */
  seconds: number;
  residents: number;
  years: number;
  variants: number;
}

/** Lower bound of a run's simulation time on `workers` threads of this machine. */
export function estimateTime(c: Compiled, replications: number, workers: number): TimeEstimate {
  const residents = c.region.blocks.reduce((a, b) => a + b.residents.reduce((x, y) => x + y, 0), 0);
  const years = c.years.length;
  const variants = c.variants.length;
  return { seconds: (residents * years * variants * replications) / (RESIDENT_YEARS_PER_SECOND * Math.max(1, workers)), residents, years, variants };
}

/**
 * The most residents a region may have: more than China's population (1,409.67 million at the end
 * of 2023, National Bureau of Statistics, 中华人民共和国2023年国民经济和社会发展统计公报, 2024-02-29)
 * with a margin. Checked before the region is built, which for 10¹⁰ residents would itself take
 * minutes and gigabytes.
 */
export const MAX_REGION_RESIDENTS = 1_500_000_000;
