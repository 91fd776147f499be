/**
 * User formulas in scenarios: mathjs expressions over declared variables, compiled once and
 * evaluated off the hot loop. mathjs only parses (its functions that could reach beyond arithmetic —
 * import, createUnit, evaluate, parse, compile, simplify, derivative, … — disabled besides); the
 * checked tree is evaluated by closures over a fixed set of operators and functions with JavaScript's
 * exact arithmetic. A scenario from someone else is safe to open: a formula is data, never JavaScript.
 */
import { createRequire } from 'node:module';
import type { MathNode } from 'mathjs';

/**
 * The sandboxed mathjs parser, loaded on first use: mathjs takes over a second to load, which every
 * command and every worker thread would pay even when the scenario has no formula.
 */
let sandboxParse: ((text: string) => MathNode) | undefined;
function formulaParser(): (text: string) => MathNode {
  if (sandboxParse) return sandboxParse;
  const { all, create } = createRequire(import.meta.url)('mathjs') as typeof import('mathjs');
  const math = create(all); // used to parse only: formulas evaluate through toClosure below
  const disabled = (name: string) => () => {
    throw new Error(`function ${name} is disabled in scenario formulas`);
  };
  const parse = math.parse; // kept for fundcast's own use before disabling it for formulas
  // (`config` is not replaced: mathjs's functions read their tolerances through it. A formula cannot
  // name it: compileFormula admits only the declared variables and ALLOWED.)
  math.import(
    Object.fromEntries(['import', 'createUnit', 'evaluate', 'parse', 'compile', 'simplify', 'simplifyConstant', 'simplifyCore', 'derivative', 'resolve', 'reviver', 'replacer', 'chain', 'help'].map((n) => [n, disabled(n)])),
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
  if (givesTruth(node)) throw new Error(`formula gives true/false (a comparison), not a finite number; write e.g. "tier > 0 ? 1.2 : 1"`);
  const code = toClosure(node, new Set(variables));
  return {
    text,
    variables,
    evaluate(scope) {
      // A variable's value is a number, never anything a closure could call or coerce.
      for (const name of variables) {
        if (typeof scope[name] !== 'number') throw new Error(`formula "${text}": variable ${name} is ${scope[name] === undefined ? 'missing' : `a ${typeof scope[name]}`}, not a number`);
      }
      const v = code(scope);
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`formula "${text}" gave ${String(v)}, not a finite number, for ${JSON.stringify(scope)}`);
      return v;
    },
  };
}

type Closure = (scope: Record<string, number>) => number;

const TRUTH = new Set(['smaller', 'larger', 'smallerEq', 'largerEq', 'equal', 'unequal', 'and', 'or', 'not']);

/** Whether the formula's value is a comparison's true/false rather than a number. */
function givesTruth(n: MathNode): boolean {
  const node = n as unknown as { type: string; fn?: unknown; content?: MathNode; trueExpr?: MathNode; falseExpr?: MathNode };
  if (node.type === 'ParenthesisNode') return givesTruth(node.content as MathNode);
  if (node.type === 'ConditionalNode') return givesTruth(node.trueExpr as MathNode) || givesTruth(node.falseExpr as MathNode);
  return node.type === 'OperatorNode' && TRUTH.has(node.fn as string);
}

/** Operators a formula may use, with JavaScript's exact arithmetic and comparisons (true = 1). */
const OPERATORS: Record<string, (...xs: number[]) => number> = {
  add: (a, b) => a + b,
  subtract: (a, b) => a - b,
  multiply: (a, b) => a * b,
  divide: (a, b) => a / b,
  pow: (a, b) => a ** b,
  mod: (a, b) => a - b * Math.floor(a / b), // mathjs's mod: the sign of the divisor
  unaryMinus: (a) => -a,
  unaryPlus: (a) => a,
  smaller: (a, b) => +(a < b),
  larger: (a, b) => +(a > b),
  smallerEq: (a, b) => +(a <= b),
  largerEq: (a, b) => +(a >= b),
  equal: (a, b) => +(a === b),
  unequal: (a, b) => +(a !== b),
  and: (a, b) => +(a !== 0 && b !== 0),
  or: (a, b) => +(a !== 0 || b !== 0),
  not: (a) => +(a === 0),
};

/** Half away from zero, as mathjs rounds; `round(x, n)` to n decimals. */
const roundAway = (x: number, n = 0) => (Math.sign(x) * Math.round(Math.abs(x) * 10 ** n)) / 10 ** n;

const FUNCTIONS: Record<string, { arity: [number, number]; fn: (...xs: number[]) => number }> = {
  min: { arity: [1, Infinity], fn: Math.min },
  max: { arity: [1, Infinity], fn: Math.max },
  abs: { arity: [1, 1], fn: Math.abs },
  sqrt: { arity: [1, 1], fn: Math.sqrt },
  exp: { arity: [1, 1], fn: Math.exp },
  log: { arity: [1, 2], fn: (x, base) => (base === undefined ? Math.log(x) : Math.log(x) / Math.log(base)) },
  log10: { arity: [1, 1], fn: Math.log10 },
  pow: { arity: [2, 2], fn: (a, b) => a ** b },
  round: { arity: [1, 2], fn: roundAway },
  floor: { arity: [1, 1], fn: Math.floor },
  ceil: { arity: [1, 1], fn: Math.ceil },
};

/**
 * The checked expression as a tree of closures. mathjs only parses: its evaluator compares numbers
 * with a relative tolerance (min(1, 0.9999999999999999) = 1 there) and rounds near-integers in
 * floor and ceil, which a threshold in a payment rule must not do. Nothing here reaches JavaScript
 * beyond these operators and functions.
 */
function toClosure(n: MathNode, variables: Set<string>): Closure {
  const node = n as unknown as { type: string; name?: string; value?: number; fn?: unknown; args?: MathNode[]; content?: MathNode; condition?: MathNode; trueExpr?: MathNode; falseExpr?: MathNode; op?: string };
  switch (node.type) {
    case 'ConstantNode': {
      const v = node.value as number;
      return () => v;
    }
    case 'SymbolNode': {
      const name = node.name as string;
      if (variables.has(name)) return (s) => s[name];
      const c = name === 'pi' ? Math.PI : name === 'e' ? Math.E : undefined;
      if (c === undefined) throw new Error(`"${name}" is a function: call it, e.g. ${name}(x)`);
      return () => c;
    }
    case 'ParenthesisNode':
      return toClosure(node.content as MathNode, variables);
    case 'ConditionalNode': {
      const [c, t, f] = [node.condition, node.trueExpr, node.falseExpr].map((x) => toClosure(x as MathNode, variables));
      return (s) => (c(s) !== 0 ? t(s) : f(s));
    }
    case 'OperatorNode': {
      const op = OPERATORS[node.fn as string];
      if (!op) throw new Error(`operator "${node.op}" is not allowed in a formula (arithmetic + - * / ^ %, comparisons, and, or, not)`);
      const args = (node.args as MathNode[]).map((x) => toClosure(x, variables));
      if (args.length === 1) {
        const [a] = args;
        return (s) => op(a(s));
      }
      const [a, b] = args;
      return (s) => op(a(s), b(s));
    }
    case 'FunctionNode': {
      const name = (node.fn as { name?: string }).name ?? '';
      const f = FUNCTIONS[name];
      if (!f) throw new Error(`"${name}" is not an allowed function; functions: ${Object.keys(FUNCTIONS).join(', ')}`);
      const args = (node.args as MathNode[]).map((x) => toClosure(x, variables));
      if (args.length < f.arity[0] || args.length > f.arity[1]) throw new Error(`${name} takes ${f.arity[0] === f.arity[1] ? f.arity[0] : `${f.arity[0]} to ${f.arity[1] === Infinity ? 'any number of' : f.arity[1]}`} argument(s), got ${args.length}`);
      return (s) => f.fn(...args.map((a) => a(s)));
    }
    default:
      throw new Error(`"${n.toString()}" is not allowed in a formula`);
  }
}
