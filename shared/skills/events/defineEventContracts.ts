import { externalEventsOf, kebabCase, requireModule, sortedUnique } from '../naming';
import { toCheck, toSkillResult } from '../outcome';
import type { Skill, SkillArtifact, SkillCheck, SkillInput, SkillResult } from '../types';
import { sampleEvent, toEventSchema } from './eventSchema';
import { validateEventSchemaText } from './validateEventSchema';

const NAME = 'DefineEventContracts';

/** The artifact name of an event's schema: `{module}/events/{Type}.schema.json`. */
export function eventSchemaArtifactName(module: string, event: string): string {
  return `${kebabCase(module)}/events/${event}.schema.json`;
}

/**
 * `event-driven-architect/DefineEventContracts`: one JSON Schema per event the module emits, and a
 * placeholder (marked external) per event it consumes from outside the blueprint.
 */
export const defineEventContracts: Skill = {
  name: NAME,
  agentRole: 'event-driven-architect',
  description: 'CloudEvents JSON Schemas (2020-12) for the events a module emits, placeholders for external ones.',
  run(input: SkillInput): SkillResult {
    const module = requireModule(NAME, input);
    const external = externalEventsOf(input.blueprint, module);
    const events = [...sortedUnique(module.events.emits).map((event) => ({ event, external: false })), ...external.map((event) => ({ event, external: true }))];
    const artifacts: SkillArtifact[] = [];
    const checks: SkillCheck[] = [];
    for (const { event, external: isExternal } of events) {
      const content = `${JSON.stringify(toEventSchema(input.blueprint, module, event, isExternal), null, 2)}\n`;
      checks.push(toCheck(`event-schema:${event}`, validateEventSchemaText(content, sampleEvent(module, event, isExternal))));
      artifacts.push({ name: eventSchemaArtifactName(module.name, event), kind: 'event-schema', module: module.name, contentType: 'application/schema+json', content, inputs: ['blueprint'] });
    }
    if (!events.length) checks.push({ name: 'event-schemas', ok: true, detail: `${module.name} emits no events and consumes none from outside` });
    return toSkillResult(NAME, artifacts, checks);
  },
};
