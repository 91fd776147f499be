import { Errors, jsonSchema, summaryJsonSchema } from '../index.ts';
import { parse } from './args.ts';

export const schemaHelp = `fundcast schema [scenario|summary]

Print a JSON Schema (draft 2020-12), generated from the validators fundcast itself uses:
  scenario   scenario files (the default), as \`fundcast validate\` checks them. Editors such as
             VS Code can use it for completion: save it and point yaml.schemas at it.
  summary    summary.json, as every run, replay and merge writes it (its schemaVersion field names
             the version); for scripts and notebooks that read results.

  -h, --help   this help
`;

export async function schemaCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {}, 1);
  if (values.help) {
    process.stdout.write(schemaHelp);
    return 0;
  }
  const which = positionals[0] ?? 'scenario';
  if (which !== 'scenario' && which !== 'summary') throw Errors.Usage(`schema: unknown schema "${which}" (schemas: scenario, summary)`);
  process.stdout.write(JSON.stringify(which === 'summary' ? summaryJsonSchema() : jsonSchema(), null, 2) + '\n');
  return 0;
}
