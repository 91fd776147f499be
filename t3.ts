import { runScenario, loadScenario } from './engine/index.ts';
const t = performance.now();
const r = await runScenario(loadScenario('wuhu-default'), { replications: 8, scale: 0.25 } as any);
console.log('run', (performance.now() - t).toFixed(0));
const s: any = (r as any).summary;
for (const m of s.models) { console.log(m.name, JSON.stringify(m.risk.collective.horizon, null, 0)); console.log(JSON.stringify(m.risk.horizon.outlay.var), JSON.stringify(m.risk.collective.byYear[0])); }
