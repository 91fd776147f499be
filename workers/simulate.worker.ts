/**
 * piscina worker: one task = blocks [from, to) of one replication. Returns the facility-year
 * aggregates, transferred (not copied) with Piscina.move; the caller knows which task it sent.
 */
import { unlinkSync } from 'node:fs';
import { Piscina } from 'piscina';
import { compileForReplication, runTask, type SimTask } from '../engine/run/pool.ts';

export default function simulateTask(task: SimTask) {
  injectFault(task);
  return Piscina.move(runTask(compileForReplication(task.scenario, task.hash, task.replication).c, task));
}

/**
 * Fault injection for the reliability tests (never set in normal use): with
 * FUNDCAST_FAULT_FILE=<path>, a worker given replication FUNDCAST_FAULT_REPLICATION (default 0)
 * deletes the file and exits the thread mid-task while the file exists — one crash per file created.
 * FUNDCAST_FAULT_ALWAYS=1 crashes on every attempt (to test that a repeatedly failing task stops the run).
 */
function injectFault(task: SimTask): void {
  const file = process.env.FUNDCAST_FAULT_FILE;
  if (!file || task.replication !== Number(process.env.FUNDCAST_FAULT_REPLICATION ?? 0)) return;
  if (process.env.FUNDCAST_FAULT_ALWAYS === '1') process.exit(1);
  try {
    unlinkSync(file);
  } catch {
    return; // already crashed once for this file
  }
  process.exit(1);
}
