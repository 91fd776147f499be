import { jsonSchema } from '../params/json-schema.ts';
import { parse } from './args.ts';

export const schemaHelp = `fundcast schema

Print the JSON Schema of scenario files (generated from the same validator that \`fundcast validate\` uses).
Editors such as VS Code can use it for completion: save it and point yaml.schemas at it.

  -h, --help   this help
`;

export async function schemaCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {}, 0);
  if (values.help) {
    process.stdout.write(schemaHelp);
    return 0;
  }
  process.stdout.write(JSON.stringify(jsonSchema(), null, 2) + '\n');
  return 0;
}
