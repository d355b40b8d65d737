import type { Blueprint, BlueprintModule } from '../../blueprints/schemas';
import { describeFieldType, entityFields } from '../fieldSchemas';
import { collectionSegment } from '../naming';
import { toCheck, toSkillResult } from '../outcome';
import type { Skill, SkillArtifact, SkillInput, SkillResult } from '../types';
import { findingsOf } from './risks';

const NAME = 'DraftVisionDocument';

/** What each edition (the service tier the system is built for) brings; the chosen one is marked. */
export const EDITION_FEATURES = {
  free: ['single region, no zone redundancy', 'serverless Cosmos DB', 'Service Bus Standard', 'compute 0.25 vCPU / 0.5 GiB per replica'],
  pro: ['single region', 'provisioned Cosmos DB', 'Service Bus Standard', 'compute 0.5 vCPU / 1 GiB per replica'],
  enterprise: ['zone-redundant Cosmos DB', 'Service Bus Premium', 'compute 1 vCPU / 2 GiB per replica'],
} as const;

/** Sections every vision document has, in order; the validator checks them. */
export const VISION_SECTIONS = ['Purpose', 'Users', 'Modules and capabilities', 'Edition features', 'Risks', 'Open questions'] as const;

function purpose(blueprint: Blueprint): string {
  const kinds = new Map<string, number>();
  for (const module of blueprint.spec.modules) kinds.set(module.kind, (kinds.get(module.kind) ?? 0) + 1);
  const summary = [...kinds].map(([kind, count]) => `${count} ${kind}${count > 1 ? 's' : ''}`).join(', ');
  const events = new Set(blueprint.spec.modules.flatMap((module) => module.events.emits)).size;
  const lead = blueprint.metadata.description ?? `${blueprint.metadata.name} is built from ${blueprint.spec.modules.length} modules.`;
  return `${lead}\n\nIt consists of ${summary}, exchanging ${events} event type${events === 1 ? '' : 's'}, deployed to ${blueprint.spec.environments.join(' → ')}.`;
}

function users(blueprint: Blueprint): string[] {
  const lines = blueprint.spec.modules.filter((module) => module.api).map((module) => `- Clients of ${module.name}'s API (\`${module.api!.routePrefix}\`, ${module.api!.versions.join(', ')}).`);
  for (const [environment, roles] of Object.entries(blueprint.spec.release?.approvals ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) lines.push(`- ${roles.join(', ')}: approve releases to ${environment}.`);
  lines.push('- Architect: approves this vision and the architecture (ArchitectureApproval).');
  return lines;
}

function moduleSection(module: BlueprintModule): string[] {
  const lines = [`### ${module.name} (${module.kind})`, ''];
  if (module.description) lines.push(module.description, '');
  for (const entity of module.entities) {
    lines.push(`**${entity.name}**${entity.description ? `: ${entity.description}` : ''}`, '', '| field | type | required |', '|---|---|---|');
    for (const field of entityFields(entity)) lines.push(`| ${field.name} | ${describeFieldType(field.type)} | ${field.type.optional ? 'no' : 'yes'} |`);
    lines.push('');
  }
  if (module.api) {
    const routes = module.api.versions.flatMap((version) => module.entities.map((entity) => `\`${module.api!.routePrefix}/${version}/${collectionSegment(entity.name)}\``));
    lines.push(`- API: ${routes.length ? routes.join(', ') : `\`${module.api.routePrefix}\` (no entities)`} — list, read, create, update, delete.`);
  } else lines.push('- API: none.');
  lines.push(`- Emits: ${module.events.emits.join(', ') || 'nothing'}.`, `- Consumes: ${module.events.consumes.join(', ') || 'nothing'}.`);
  if (module.dependsOn.length) lines.push(`- Depends on: ${module.dependsOn.join(', ')}.`);
  const scaling = module.scaling;
  lines.push(`- Scaling: ${scaling ? `${scaling.minReplicas}–${scaling.maxReplicas} replicas on ${scaling.triggers.map((trigger) => `${trigger.type} ${trigger.threshold}`).join(', ') || 'no trigger'}` : 'not declared'}.`);
  return [...lines, ''];
}

/** The vision document of a blueprint, Markdown. */
export function toVisionDocument(blueprint: Blueprint, artifacts: readonly SkillArtifact[]): string {
  const edition = blueprint.spec.edition ?? 'pro';
  const findings = findingsOf(blueprint, artifacts);
  const list = (kind: 'risk' | 'question') => findings.filter((finding) => finding.kind === kind).map((finding) => `- ${finding.text}`);
  const editions = Object.entries(EDITION_FEATURES).map(([name, features]) => `- ${name === edition ? `**${name}** (chosen)` : name}: ${features.join('; ')}.`);
  const budget = blueprint.spec.cost ? `Monthly budget: ${blueprint.spec.cost.monthlyBudgetUsd} USD.` : 'No monthly budget set.';
  const risks = list('risk');
  const questions = list('question');
  return [
    `# ${blueprint.metadata.name} — vision`,
    '',
    '## Purpose',
    '',
    purpose(blueprint),
    '',
    '## Users',
    '',
    ...users(blueprint),
    '',
    '## Modules and capabilities',
    '',
    ...blueprint.spec.modules.flatMap(moduleSection),
    '## Edition features',
    '',
    ...editions,
    '',
    budget,
    '',
    '## Risks',
    '',
    ...(risks.length ? risks : ['- None derived from the blueprint.']),
    '',
    '## Open questions',
    '',
    ...(questions.length ? questions : ['- None derived from the blueprint.']),
    '',
  ].join('\n');
}

/** Failures of a vision document: every section in order, every module described, no rendering leftovers. */
export function validateVisionDocument(text: string, blueprint: Blueprint): string[] {
  const failures: string[] = [];
  let position = 0;
  for (const section of VISION_SECTIONS) {
    const at = text.indexOf(`\n## ${section}\n`, position);
    if (at < 0) failures.push(`section '${section}' is missing or out of order`);
    else position = at;
  }
  for (const module of blueprint.spec.modules) if (!text.includes(`### ${module.name} (`)) failures.push(`module ${module.name} is not described`);
  for (const leftover of ['undefined', '[object Object]', 'NaN']) if (text.includes(leftover)) failures.push(`contains '${leftover}'`);
  return failures;
}

/** `vision-architect/DraftVisionDocument`: `docs/vision.md` for the whole blueprint. */
export const draftVisionDocument: Skill = {
  name: NAME,
  agentRole: 'vision-architect',
  description: 'Vision document: purpose, users, modules and capabilities, edition features, risks and open questions.',
  run(input: SkillInput): SkillResult {
    const content = toVisionDocument(input.blueprint, input.artifacts);
    const inputs = ['blueprint', ...input.artifacts.filter((artifact) => artifact.kind === 'tests').map((artifact) => artifact.name)];
    return toSkillResult(NAME, [{ name: 'docs/vision.md', kind: 'vision-document', contentType: 'text/markdown', content, inputs }], [toCheck('vision-document', validateVisionDocument(content, input.blueprint))]);
  },
};
