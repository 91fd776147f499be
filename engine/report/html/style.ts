/** report.html's stylesheet: readable on screen and on paper, tables that scroll on narrow screens. */
export const CSS = `
:root { --ink: #1f2328; --muted: #57606a; --rule: #d0d7de; --accent: #4c78a8; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #f6f8fa; font: 15px/1.6 "DejaVu Sans", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
header { border-bottom: 3px solid var(--accent); margin-bottom: 16px; }
.kicker { color: var(--accent); font-weight: bold; margin: 0; letter-spacing: .02em; }
h1 { font-size: 26px; margin: 4px 0 8px; }
h2 { font-size: 21px; margin: 36px 0 12px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
h3 { font-size: 16px; margin: 28px 0 8px; }
.desc { color: var(--muted); white-space: pre-line; }
dl.run { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dl.run dt { color: var(--muted); }
dl.run dd { margin: 0; word-break: break-all; }
nav ol { columns: 2; margin: 8px 0; }
.note { color: var(--muted); font-size: 13px; margin: 6px 0 0; }
figure { margin: 0 0 12px; }
.chart { min-height: 120px; overflow-x: auto; }
.chart[data-error] { color: #b42318; }
figcaption { font-size: 12.5px; color: var(--muted); }
.table-wrap { overflow-x: auto; margin: 16px 0 24px; }
table { border-collapse: collapse; font-size: 13px; min-width: 50%; }
caption { text-align: left; font-weight: bold; font-size: 14px; padding: 4px 0 8px; }
th, td { border-bottom: 1px solid var(--rule); padding: 4px 10px; text-align: left; vertical-align: top; }
thead th { background: #f0f3f6; border-bottom: 2px solid var(--rule); }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.path { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; max-width: 300px; overflow-wrap: anywhere; }
td.value { min-width: 220px; max-width: 340px; white-space: pre-line; overflow-wrap: anywhere; }
ul.headline { font-size: 16px; padding-left: 20px; }
ul.headline li { margin: 6px 0; }
ul.notes { color: var(--muted); font-size: 13.5px; padding-left: 20px; }
ul.notes li.warning { color: #9a3412; }
dl.glossary { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; font-size: 13.5px; }
dl.glossary dt { font-weight: bold; }
dl.glossary dd { margin: 0; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@media print {
  body { background: #fff; }
  main { max-width: none; padding: 0; }
  nav, figcaption { display: none; }
  figure, table { break-inside: avoid; }
}
`;
