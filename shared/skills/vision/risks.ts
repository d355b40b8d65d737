import type { Blueprint, BlueprintModule } from '../../blueprints/schemas';
import { referencedEntities } from '../../blueprints/fieldTypes';
import { externalEventsOf, sortedUnique } from '../naming';
import type { SkillArtifact } from '../types';

/** A finding of the vision: a risk (something the blueprint leaves weak) or an open question. */
export interface Finding {
  kind: 'risk' | 'question';
  text: string;
}

function moduleFindings(blueprint: Blueprint, module: BlueprintModule, artifacts: readonly SkillArtifact[]): Finding[] {
  const findings: Finding[] = [];
  const name = module.name;
  for (const event of externalEventsOf(blueprint, module)) findings.push({ kind: 'question', text: `${name} consumes ${event} from outside the blueprint: who owns its schema, and what does ${name} do while that system is down?` });
  if (!module.scaling) findings.push({ kind: 'risk', text: `${name} declares no scaling; it runs one fixed replica, a single point of failure.` });
  else if (module.scaling.minReplicas === 0 && module.api) findings.push({ kind: 'risk', text: `${name} serves an API but scales to zero: the first request after idle waits for a cold start.` });
  if (module.scaling && module.scaling.minReplicas <= 1 && blueprint.spec.edition === 'enterprise' && module.kind !== 'function') findings.push({ kind: 'risk', text: `${name} may run ${module.scaling.minReplicas === 0 ? 'no replica at all' : 'a single replica'} (minReplicas ${module.scaling.minReplicas}) although the edition is enterprise.` });
  const hasEvents = module.events.emits.length + module.events.consumes.length > 0;
  if (hasEvents && (module.infrastructure?.queue ?? 'none') === 'none') findings.push({ kind: 'risk', text: `${name} emits or consumes events but has no queue in its infrastructure.` });
  if (module.entities.length && (module.infrastructure?.database ?? 'none') === 'none') findings.push({ kind: 'question', text: `${name} owns ${module.entities.map((entity) => entity.name).join(', ')} but no database: where is that state kept?` });
  if (module.events.consumes.length && !module.resilience?.retries) findings.push({ kind: 'risk', text: `${name} consumes events without a retry policy; a transient failure dead-letters the message.` });
  if (module.entities.length && !module.api && !module.events.consumes.length) findings.push({ kind: 'question', text: `${name} owns entities but has no API and consumes no events: how is its data written?` });
  for (const entity of module.entities) {
    for (const [field, type] of Object.entries(entity.fields).sort(([a], [b]) => (a < b ? -1 : 1))) {
      for (const target of referencedEntities(type)) findings.push({ kind: 'question', text: `${entity.name}.${field} holds ids of ${target}: is ${target} part of the ${entity.name} aggregate (written with it) or managed on its own?` });
    }
  }
  if (!artifacts.some((artifact) => artifact.kind === 'tests' && artifact.module === name)) findings.push({ kind: 'risk', text: `${name} has no generated tests yet; ValidateService must pass before it is released.` });
  return findings;
}

/**
 * The risks and open questions a blueprint raises, derived from it (and from the artifacts given,
 * e.g. tests), in a fixed order: per module in blueprint order, then project-wide.
 */
export function findingsOf(blueprint: Blueprint, artifacts: readonly SkillArtifact[]): Finding[] {
  const findings = blueprint.spec.modules.flatMap((module) => moduleFindings(blueprint, module, artifacts));
  const consumed = new Set(blueprint.spec.modules.flatMap((module) => module.events.consumes));
  for (const event of sortedUnique(blueprint.spec.modules.flatMap((module) => module.events.emits))) {
    if (!consumed.has(event)) findings.push({ kind: 'question', text: `${event} is emitted but no module consumes it: who is it for?` });
  }
  const environments = blueprint.spec.environments;
  const last = environments[environments.length - 1];
  if (!blueprint.spec.release?.approvals?.[last]) findings.push({ kind: 'risk', text: `Releases reach ${last} without an approval; add release.approvals.${last}.` });
  if (!blueprint.spec.cost) findings.push({ kind: 'risk', text: 'No monthly budget: agent and compute costs are not capped.' });
  if (!blueprint.spec.edition) findings.push({ kind: 'question', text: 'No edition: the system is sized as pro. Is that intended?' });
  return findings;
}
