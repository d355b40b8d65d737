import type { Blueprint } from '../../blueprints/schemas';
import { externalEventsOf, sortedUnique } from '../naming';
import { toCheck, toSkillResult } from '../outcome';
import type { Skill, SkillInput, SkillResult } from '../types';
import { validateArchitectureDocument } from './validateMermaid';

const NAME = 'DesignArchitecture';

const SHAPES: Record<string, [string, string]> = { microservice: ['[', ']'], worker: ['[[', ']]'], function: ['([', '])'], gateway: ['{{', '}}'] };

function node(id: string, label: string, shape: [string, string]): string {
  return `  ${id}${shape[0]}"${label}"${shape[1]}`;
}

/** The container view: clients, modules by kind, their databases and the Service Bus. */
function containerDiagram(blueprint: Blueprint): string[] {
  const lines = ['flowchart LR', node('clients', 'API clients', ['([', '])'])];
  const modules = blueprint.spec.modules;
  for (const module of modules) lines.push(node(module.name, `${module.name}<br/>${module.kind}`, SHAPES[module.kind]));
  const usesBus = modules.some((module) => module.infrastructure?.queue && module.infrastructure.queue !== 'none');
  if (usesBus) lines.push(node('bus', 'Messaging', ['{{', '}}']));
  for (const module of modules) {
    if (module.api) lines.push(`  clients -->|HTTPS ${module.api.routePrefix}| ${module.name}`);
    const database = module.infrastructure?.database;
    if (database && database !== 'none') lines.push(node(`${module.name}Db`, `${database}: ${module.name}`, ['[(', ')]']), `  ${module.name} --> ${module.name}Db`);
    const queue = module.infrastructure?.queue;
    if (queue && queue !== 'none') lines.push(`  ${module.name} <-->|${queue}| bus`);
  }
  return lines;
}

/** The module dependency graph (`dependsOn`): every module a node, an edge per dependency. */
function dependencyDiagram(blueprint: Blueprint): string[] {
  const lines = ['flowchart TD', ...blueprint.spec.modules.map((module) => node(module.name, module.name, ['[', ']']))];
  for (const module of blueprint.spec.modules) for (const target of sortedUnique(module.dependsOn)) lines.push(`  ${module.name} --> ${target}`);
  return lines;
}

/** Who emits and who consumes each event; external events enter from one `external` node. */
function eventFlow(blueprint: Blueprint): { diagram: string[]; table: string[] } {
  const modules = blueprint.spec.modules;
  const diagram = ['flowchart LR', ...modules.map((module) => node(module.name, module.name, ['[', ']']))];
  const table = ['| event | emitted by | consumed by |', '|---|---|---|'];
  const external = new Set(modules.flatMap((module) => externalEventsOf(blueprint, module)));
  if (external.size) diagram.push(node('external', 'outside the blueprint', ['([', '])']));
  const events = sortedUnique(modules.flatMap((module) => [...module.events.emits, ...module.events.consumes]));
  for (const event of events) {
    const emitters = modules.filter((module) => module.events.emits.includes(event)).map((module) => module.name);
    const consumers = modules.filter((module) => module.events.consumes.includes(event)).map((module) => module.name);
    const sources = external.has(event) ? [...emitters, 'external'] : emitters;
    for (const source of sources) for (const consumer of consumers) diagram.push(`  ${source} -->|${event}| ${consumer}`);
    table.push(`| ${event} | ${sources.join(', ') || '—'} | ${consumers.join(', ') || '—'} |`);
  }
  return { diagram, table };
}

/** The architecture document of a blueprint, Markdown with three Mermaid diagrams. */
export function toArchitectureDocument(blueprint: Blueprint): string {
  const mermaid = (lines: string[]) => ['```mermaid', ...lines, '```'];
  const flow = eventFlow(blueprint);
  const dependencies = blueprint.spec.modules.map((module) => `| ${module.name} | ${module.kind} | ${module.dependsOn.join(', ') || '—'} |`);
  return [
    `# ${blueprint.metadata.name} — architecture`,
    '',
    '## Containers',
    '',
    ...mermaid(containerDiagram(blueprint)),
    '',
    '## Module dependencies',
    '',
    ...mermaid(dependencyDiagram(blueprint)),
    '',
    '| module | kind | depends on |',
    '|---|---|---|',
    ...dependencies,
    '',
    '## Event flow',
    '',
    ...mermaid(flow.diagram),
    '',
    ...flow.table,
    '',
  ].join('\n');
}

/** `solution-architect/DesignArchitecture`: `docs/architecture.md`. */
export const designArchitecture: Skill = {
  name: NAME,
  agentRole: 'solution-architect',
  description: 'Architecture document: container diagram, module dependency graph and event flow (Mermaid).',
  run(input: SkillInput): SkillResult {
    const content = toArchitectureDocument(input.blueprint);
    const inputs = ['blueprint', ...input.artifacts.filter((artifact) => artifact.kind === 'vision-document').map((artifact) => artifact.name)];
    return toSkillResult(
      NAME,
      [{ name: 'docs/architecture.md', kind: 'architecture-document', contentType: 'text/markdown', content, inputs }],
      [toCheck('mermaid-diagrams', validateArchitectureDocument(content, input.blueprint))],
    );
  },
};
