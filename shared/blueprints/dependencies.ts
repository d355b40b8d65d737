import type { LocatedProblem } from './problems';
import { repeatedEntries, textEntries, type ModuleView } from './rawDocument';

/** A dependency cycle: module names from a module back to itself, `['A', 'B', 'C', 'A']`. */
export type DependencyCycle = string[];

/**
 * Finds dependency cycles in a graph of module name → modules it depends on: one cycle per group of
 * mutually dependent modules (the shortest through the group's first module in `order`), so a
 * reader fixes the groups one by one. Unknown names are ignored.
 */
export function findDependencyCycles(graph: ReadonlyMap<string, readonly string[]>): DependencyCycle[] {
  return stronglyConnected(graph)
    .filter((group) => group.length > 1 || (graph.get(group[0]) ?? []).includes(group[0]))
    .map((group) => shortestCycle(graph, new Set(group), group[0]));
}

/** Tarjan's algorithm; each group lists its members in graph order. */
function stronglyConnected(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const order = [...graph.keys()];
  const rank = new Map(order.map((name, index) => [name, index]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    groups.push(group.sort((a, b) => rank.get(a)! - rank.get(b)!));
  };
  for (const node of order) if (!index.has(node)) visit(node);
  return groups.sort((a, b) => rank.get(a[0])! - rank.get(b[0])!);
}

function shortestCycle(graph: ReadonlyMap<string, readonly string[]>, group: ReadonlySet<string>, start: string): DependencyCycle {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const node = queue.shift()!;
    for (const next of graph.get(node) ?? []) {
      if (!group.has(next)) continue;
      if (next === start) return [...pathTo(node, cameFrom, start), start];
      if (!cameFrom.has(next)) {
        cameFrom.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

function pathTo(node: string, cameFrom: ReadonlyMap<string, string>, start: string): string[] {
  const path = [node];
  while (path[0] !== start) path.unshift(cameFrom.get(path[0])!);
  return path;
}

/** `dependsOn` problems: unknown modules, repeated entries and cycles (at the entry that starts one). */
export function checkDependencies(modules: readonly ModuleView[]): LocatedProblem[] {
  const known = new Set(modules.flatMap((module) => (module.name ? [module.name] : [])));
  const graph = new Map<string, string[]>();
  const problems: LocatedProblem[] = [];
  for (const module of modules) {
    const path = [...module.path, 'dependsOn'];
    const entries = textEntries(module.raw.dependsOn);
    for (const { index, text } of entries) {
      if (!known.has(text)) problems.push({ path: [...path, index], code: 'UnknownDependency', message: `${module.name ?? 'This module'} depends on '${text}', which is not a module of this blueprint.` });
    }
    problems.push(...repeatedEntries(entries.map(({ index, text }) => ({ path: [...path, index], text })), 'DuplicateListEntry', (text) => `'${text}' is listed twice in dependsOn.`));
    if (module.name) graph.set(module.name, [...(graph.get(module.name) ?? []), ...entries.map((entry) => entry.text)]);
  }
  for (const cycle of findDependencyCycles(graph)) problems.push(cycleProblem(modules, cycle));
  return problems;
}

function cycleProblem(modules: readonly ModuleView[], cycle: DependencyCycle): LocatedProblem {
  const message = `Dependency cycle: ${cycle.join(' → ')}.`;
  for (const module of modules.filter((candidate) => candidate.name === cycle[0])) {
    const entry = textEntries(module.raw.dependsOn).find(({ text }) => text === cycle[1]);
    if (entry) return { path: [...module.path, 'dependsOn', entry.index], code: 'DependencyCycle', message };
  }
  return { path: ['spec', 'modules'], code: 'DependencyCycle', message };
}
