import { parse } from 'yaml';
import type { Blueprint, BlueprintModule } from '../../blueprints/schemas';
import { toEventSchema } from '../events/eventSchema';
import { entityFields, sampleObject } from '../fieldSchemas';
import { toOpenApiDocument } from '../openapi/buildOpenApi';
import { toServiceModel } from '../service/model';
import type { SkillArtifact } from '../types';
import type { ContractInput } from './contractTest';

/**
 * What the contract test of a module checks against: its OpenAPI contract (the artifact when it is
 * among the inputs, else built from the blueprint the same way), valid samples per entity, the
 * schema of every event it emits and the changes that publish them; gateways get their upstream
 * settings pointed at an address nothing listens on (their contract is their probes).
 */
export function contractInput(blueprint: Blueprint, module: BlueprintModule, artifacts: readonly SkillArtifact[]): ContractInput & { env: Record<string, string> } {
  const artifact = artifacts.find((candidate) => candidate.kind === 'openapi-contract' && candidate.module === module.name);
  const document = (artifact ? parse(artifact.content) : toOpenApiDocument(blueprint, module)) as Record<string, unknown>;
  const model = toServiceModel(blueprint, module);
  const emits: Record<string, string[]> = {};
  for (const emitted of model.emits) (emits[`${emitted.entity}.${emitted.change}`] ??= []).push(emitted.event);
  return {
    document,
    samples: Object.fromEntries(module.entities.map((entity) => [entity.name, sampleObject(entityFields(entity).filter((field) => !field.implicit))])),
    eventSchemas: Object.fromEntries(module.events.emits.map((event) => [event, toEventSchema(blueprint, module, event, false)])),
    emits,
    auth: model.auth,
    env: {
      ...Object.fromEntries(model.upstreams.map((upstream) => [upstream.setting, 'http://127.0.0.1:9'])),
      ...(model.auth ? { AUTH_TENANT_ID: '00000000-0000-4000-8000-00000000aaaa', AUTH_AUDIENCE: `api://${model.folder}` } : {}),
    },
  };
}
