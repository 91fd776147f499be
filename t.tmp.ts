import { CLAIMS_HEADER, ENROLLMENT_HEADER, PERSONS, claim, csv, tmp, write } from './test/replay/helpers.ts';
import { main } from './engine/cli/main.ts';
const t = tmp();
const e = write(t.dir, 'e.csv', csv([ENROLLMENT_HEADER, ...PERSONS]));
const rows = [claim('C1', 'P1', '2025-01-03', 'v1', 'village', 50, 20, { drug: 30, days: 30 }), claim('C2', 'P2', '2025-02-03', 't1', 'township', 80, 40, { drug: 50, days: 30 }), claim('C3', 'P3', '2025-03-03', 'h1', 'hospital', 3000, 2000, { type: 'inpatient' }), claim('C4', 'P2', '2024-03-03', 'h1', 'hospital', 300, 100)];
const c = write(t.dir, 'c.csv', csv([CLAIMS_HEADER, ...rows]));
console.log(await main(['calibrate', '--enrollment', e, '--claims', c, '--out', t.dir + '/p.yaml', '--max-reject-rate', '1']));
console.log(await main(['backtest', '--enrollment', e, '--claims', c, '--out', t.dir + '/bt', '--max-reject-rate', '1', '--replications', '3', '--scenario', 'scenarios/data/demo-county.yaml']));
t.done();
