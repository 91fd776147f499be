/**
 * Tornado chart of a one-way sensitivity analysis (summary.json `sensitivity`): per parameter a bar
 * from the base result to the result at the parameter's low value and one to its high value, the
 * widest swing on top. Amount outputs in 万元; other outputs (reserve months) in their own unit.
 */
import { fill, strings, type Lang } from '../i18n.ts';
import type { ReportData } from '../run-data.ts';
import { readSensitivity, sensitivityIsAmount, type Sensitivity } from '../risk-sections.ts';
import { frame, modelLabels, WAN_FORMAT, wan, WIDTH, type ChartDef, type VlSpec } from './common.ts';

/** The output's name with its year, model and unit, e.g. "Fund outlay (total 2025–2027, Capitation; 10k yuan)". */
export function sensitivityOutputLabel(d: ReportData, sens: Sensitivity, lang: Lang): string {
  const s = strings(lang);
  const name = s.measures[sens.output] ?? sens.output;
  const unit = sensitivityIsAmount(sens) ? s.wan : sens.unit;
  const ys = d.summary.years;
  const year = typeof sens.year === 'number' ? String(sens.year) : sens.year === 'horizon' && ys.length ? fill(s.charts.sensitivity.horizon, { from: ys[0], to: ys[ys.length - 1] }) : undefined;
  const model = sens.model ? (modelLabels(d.summary, lang).get(sens.model) ?? sens.model) : undefined;
  const qual = [year, model].filter(Boolean).join(lang === 'zh' ? '，' : ', ');
  const inner = [qual, unit].filter(Boolean).join(lang === 'zh' ? '；' : '; ');
  return inner ? (lang === 'zh' ? `${name}（${inner}）` : `${name} (${inner})`) : name;
}

const short = (x: number) => String(+x.toPrecision(4));

export function sensitivityTornadoSpec(d: ReportData, lang: Lang): VlSpec {
  const s = strings(lang);
  const c = s.charts.sensitivity;
  const sens = readSensitivity(d.summary)!;
  const amount = sensitivityIsAmount(sens);
  const conv = (x: number) => (amount ? wan(x) : x);
  const format = amount ? WAN_FORMAT : '.2f';
  const output = sensitivityOutputLabel(d, sens, lang);
  const base = conv(sens.base);
  const values = sens.rows.flatMap((r) => {
    const label = `${r.parameter} (${short(r.low)} → ${short(r.high)})`;
    const swing = Math.abs(r.outputHigh - r.outputLow);
    return [
      { parameter: label, side: c.low, value: conv(r.outputLow), base, swing },
      { parameter: label, side: c.high, value: conv(r.outputHigh), base, swing },
    ];
  });
  const baseText = amount ? `${Math.round(base).toLocaleString('en-US')} ${s.wan}` : `${short(base)}${sens.unit ? ` ${sens.unit}` : ''}`;
  return {
    ...frame(fill(c.title, { output }), fill(c.subtitle, { base: baseText })),
    data: { values },
    width: WIDTH - 280,
    height: { step: 26 },
    layer: [
      {
        mark: { type: 'bar', height: { band: 0.7 } },
        encoding: {
          y: { field: 'parameter', type: 'nominal', title: null, sort: { field: 'swing', order: 'descending' }, axis: { labelLimit: 260 } },
          x: { field: 'value', type: 'quantitative', title: fill(c.axis, { output }), scale: { zero: false }, axis: { format, labelFlush: false, tickCount: 6 } },
          x2: { field: 'base' },
          color: { field: 'side', type: 'nominal', title: c.side, scale: { domain: [c.low, c.high], range: ['#4c78a8', '#e45756'] } },
          tooltip: [
            { field: 'parameter', title: c.parameter },
            { field: 'side', title: c.side },
            { field: 'value', title: output, format },
          ],
        },
      },
      { mark: { type: 'rule', color: '#222', strokeWidth: 1.5 }, encoding: { x: { datum: base, type: 'quantitative' } } },
    ],
  };
}

export const sensitivityTornado: ChartDef = {
  name: 'sensitivity-tornado',
  applies: (d) => readSensitivity(d.summary) !== undefined,
  build: sensitivityTornadoSpec,
  question: (lang) => strings(lang).charts.sensitivity.question,
};
