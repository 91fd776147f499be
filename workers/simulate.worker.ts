/**
 * piscina worker: one task = blocks [from, to) of one replication. Returns the facility-year
 * aggregates, transferred (not copied) with Piscina.move; the caller knows which task it sent.
 */
import { Piscina } from 'piscina';
import { compileForReplication, runTask, type SimTask } from '../engine/index.ts';

export default function simulateTask(task: SimTask) {
  return Piscina.move(runTask(compileForReplication(task.scenario, task.hash, task.replication).c, task));
}
