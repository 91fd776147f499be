/**
 * User formulas in scenarios: mathjs expressions over declared variables, compiled once and
 * evaluated off the hot loop. The mathjs instance has the functions that could reach beyond
 * arithmetic disabled (import, createUnit, evaluate, parse, compile, simplify, derivative, …), so a
 * scenario from someone else is safe to open: a formula is data, never JavaScript.
 */
import { createRequire } from 'node:module';
import type { EvalFunction, MathNode } from 'mathjs';

/**
 * The sandboxed mathjs parser, loaded on first use: mathjs takes over a second to load, which every
 * command and every worker thread would pay even when the scenario has no formula.
 */
let sandboxParse: ((text: string) => MathNode) | undefined;
function formulaParser(): (text: string) => MathNode {
  if (sandboxParse) return sandboxParse;
  const { all, create } = createRequire(import.meta.url)('mathjs') as typeof import('mathjs');
  const math = create(all);
  const disabled = (name: string) => () => {
    throw new Error(`function ${name} is disabled in scenario formulas`);
  };
  const parse = math.parse; // kept for fundcast's own use before disabling it for formulas
  math.import(
    Object.fromEntries(['import', 'createUnit', 'evaluate', 'parse', 'compile', 'simplify', 'simplifyConstant', 'simplifyCore', 'derivative', 'resolve', 'reviver', 'replacer', 'chain', 'help', 'config'].map((n) => [n, disabled(n)])),
    { override: true },
  );
  sandboxParse = (text) => parse(text);
  return sandboxParse;
}

export interface Formula {
  text: string;
  variables: string[];
  evaluate(scope: Record<string, number>): number;
}

/** Functions and constants a formula may use besides its variables. */
const ALLOWED = new Set(['min', 'max', 'abs', 'sqrt', 'exp', 'log', 'log10', 'pow', 'round', 'floor', 'ceil', 'pi', 'e']);

/**
 * Compile `text` as a formula over `variables`; throws an Error whose message says what is wrong
 * (syntax, unknown name, disallowed construct).
 * @example compileFormula('0.8 + 0.2 * tier', ['tier']).evaluate({ tier: 1 }) // 1
 */
export function compileFormula(text: string, variables: string[]): Formula {
  let node: MathNode;
  try {
    node = formulaParser()(text);
  } catch (e) {
    throw new Error(`formula does not parse: ${(e as Error).message}`);
  }
  const names = new Set<string>();
  let bad: string | undefined;
  node.traverse((n, _path, parent) => {
    const t = n.type;
    if (t === 'SymbolNode') {
      const name = (n as unknown as { name: string }).name;
      const isFn = parent?.type === 'FunctionNode' && (parent as unknown as { fn: MathNode }).fn === n;
      if (!variables.includes(name) && !ALLOWED.has(name)) bad ??= `unknown name "${name}"${isFn ? ' (not an allowed function)' : ''}; variables: ${variables.join(', ')}; functions: ${[...ALLOWED].join(', ')}`;
      names.add(name);
    } else if (t === 'ConstantNode' && typeof (n as unknown as { value: unknown }).value !== 'number') {
      bad ??= `only numbers are allowed as constants, not ${n.toString()}`;
    } else if (!['ConstantNode', 'OperatorNode', 'ParenthesisNode', 'FunctionNode', 'ConditionalNode'].includes(t)) {
      bad ??= `"${n.toString()}" is not allowed in a formula (only numbers, variables, arithmetic, comparisons, ?: and ${[...ALLOWED].join(', ')})`;
    }
  });
  if (bad) throw new Error(bad);
  const code: EvalFunction = node.compile();
  return {
    text,
    variables,
    evaluate(scope) {
      let v: unknown;
      try {
        v = code.evaluate({ ...scope });
      } catch (e) {
        throw new Error(`formula "${text}" cannot be evaluated: ${(e as Error).message}`);
      }
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`formula "${text}" gave ${String(v)}, not a finite number, for ${JSON.stringify(scope)}`);
      return v;
    },
  };
}
