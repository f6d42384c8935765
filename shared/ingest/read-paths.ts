import { entryOf } from '../backends/registry.ts';
import { pathKey, type ReadAs, type ReadPath } from '../calls/kept-event.ts';
import type { AccountConfig, RouteConfig } from '../config/schema.ts';
import { compileExpression } from '../routes/expression.ts';

/** A JSONata syntax tree's node, as far as the walk below reads it (jsonata's own type is partial). */
interface Node {
  type: string;
  value?: unknown;
  steps?: Node[];
  stages?: { expr?: Node }[];
  predicate?: { expr?: Node }[];
  group?: { lhs?: [Node, Node][] };
  arguments?: Node[];
  lhs?: Node | [Node, Node][];
  rhs?: Node;
  condition?: Node;
  then?: Node;
  else?: Node;
  expressions?: Node[];
  terms?: { expression?: Node }[];
}

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && typeof (value as Node).type === 'string';

/**
 * The fields of the payload one expression reads, each as its names from the payload's top.
 * `context` is where the expression stands (the top, or inside a path's step for a filter on
 * it); undefined where the walk cannot name it (inside a function of the route's own, after a
 * wildcard), and nothing is read from there.
 */
const fieldsOf = (node: Node, context: string[] | undefined, found: string[][]): void => {
  const inside = (child: unknown, at = context) => {
    if (isNode(child)) fieldsOf(child, at, found);
  };
  if (node.type === 'path') {
    let at = context;
    for (const [index, step] of (node.steps ?? []).entries()) {
      if (step.type === 'name') {
        at = at === undefined ? undefined : [...at, String(step.value)];
        for (const stage of [...(step.stages ?? []), ...(step.predicate ?? [])])
          inside(stage.expr, at);
        continue;
      }
      // `$` and `$$` at a path's start are the payload's top.
      if (step.type === 'variable' && index === 0 && (step.value === '' || step.value === '$')) {
        at = [];
        continue;
      }
      // A function or block as a step reads relative to what came before it; a wildcard reads
      // all of it. Whatever follows is not a field the walk can name.
      inside(step, at);
      if (step.type === 'wildcard' || step.type === 'descendant') break;
      at = undefined;
      break;
    }
    if (at !== undefined && at.length > 0) found.push(at);
    for (const [key, value] of node.group?.lhs ?? []) {
      inside(key, at);
      inside(value, at);
    }
    return;
  }
  if (node.type === 'name') {
    if (context !== undefined) found.push([...context, String(node.value)]);
    return;
  }
  // A lambda's body reads its parameters, not the payload.
  if (node.type === 'lambda') return;
  for (const child of [
    ...(node.arguments ?? []),
    ...(Array.isArray(node.lhs) ? node.lhs.flat() : [node.lhs]),
    node.rhs,
    node.condition,
    node.then,
    node.else,
    ...(node.expressions ?? []),
    ...(node.terms ?? []).map((term) => term.expression),
    ...(node.stages ?? []).map((stage) => stage.expr),
  ])
    inside(child);
};

/** Every expression of a route, with what it reads its fields as. */
const expressionsOf = (route: RouteConfig, account: AccountConfig): [string, ReadAs][] => {
  const optional: [string | undefined, ReadAs][] = [
    [route.idempotency_key, 'key'],
    [route.event_time, 'event_time'],
    [route.condition, 'condition'],
    [route.test_event, 'test_event'],
  ];
  return [
    [route.call.contact, 'contact'],
    ...optional.filter((entry): entry is [string, ReadAs] => entry[0] !== undefined),
    ...entryOf(account)
      .expressions(route.call)
      .map((source): [string, ReadAs] => [source, 'call']),
  ];
};

const cache = new WeakMap<RouteConfig, ReadPath[]>();

/**
 * The payload's fields a route's expressions read, each with what it is read as (worked out
 * once per route from its expressions' syntax trees): what the console highlights, and which
 * fields are masked as the contact.
 */
export const readPathsOf = (route: RouteConfig, account: AccountConfig): ReadPath[] => {
  const known = cache.get(route);
  if (known !== undefined) return known;
  const byPath = new Map<string, ReadPath>();
  for (const [source, as] of expressionsOf(route, account)) {
    const compiled = compileExpression(source);
    if (!compiled.ok) continue;
    const found: string[][] = [];
    fieldsOf(compiled.expression.ast() as unknown as Node, [], found);
    for (const path of found) {
      const entry = byPath.get(pathKey(path)) ?? { path, as: [] };
      if (!entry.as.includes(as)) entry.as.push(as);
      byPath.set(pathKey(path), entry);
    }
  }
  const read = [...byPath.values()];
  cache.set(route, read);
  return read;
};
