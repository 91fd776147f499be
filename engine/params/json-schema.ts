import { z } from 'zod';
import { ScenarioSchema } from './schema.ts';

/** The JSON Schema (draft 2020-12) of scenario files, generated from the validator itself. */
export function jsonSchema(): Record<string, unknown> {
  const js = z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { $id: 'https://fundcast.invalid/scenario.schema.json', title: 'fundcast scenario', ...js };
}
