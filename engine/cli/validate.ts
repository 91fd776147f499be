import { ScenarioError, formatIssue, loadScenario } from '../index.ts';
import { parse } from './args.ts';

export const validateHelp = `fundcast validate SCENARIO

Check a scenario file (or an embedded scenario by name) against the scenario schema and rules.
Exit 0 when valid; otherwise print every problem as FILE:LINE:COLUMN: PARAMETER.PATH: RULE and exit 2.

  -h, --help   this help
`;

export async function validateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {}, 1);
  if (values.help) {
    process.stdout.write(validateHelp);
    return 0;
  }
  if (positionals.length === 0) {
    process.stderr.write('fundcast validate: name a scenario file (see --help)\n');
    return 2;
  }
  try {
    const l = loadScenario(positionals[0]);
    process.stdout.write(`${l.files[0]}: valid scenario "${l.scenario.name}" (hash ${l.hash.slice(0, 12)})\n`);
    return 0;
  } catch (e) {
    if (e instanceof ScenarioError) {
      process.stderr.write(`${e.issues.length} error${e.issues.length === 1 ? '' : 's'}:\n` + e.issues.map((i) => formatIssue(i)).join('\n') + '\n');
      return 2;
    }
    throw e;
  }
}
