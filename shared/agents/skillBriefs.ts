import type { ArtifactKind } from '../skills/types';

/** What a model is told about a skill: the artifact it must write, for what scope, and how. */
export interface SkillBrief {
  kind: ArtifactKind;
  contentType: string;
  /** `module`: one module's artifacts, named `{module-kebab}/…`; `project`: project-wide artifacts. */
  scope: 'module' | 'project';
  /** The name the builtin skill gives its (main) artifact; `{module}` is the module in kebab-case. */
  name: string;
  instructions: string;
}

/** One short, fixed instruction per built-in skill; prompts are built only from these and the input. */
export const SKILL_BRIEFS: Readonly<Record<string, SkillBrief>> = {
  DraftVisionDocument: {
    kind: 'vision-document',
    contentType: 'text/markdown',
    scope: 'project',
    name: 'docs/vision.md',
    instructions: 'Write the vision document in Markdown: problem, actors, goals, one section per module with its capabilities, and what is out of scope.',
  },
  DesignArchitecture: {
    kind: 'architecture-document',
    contentType: 'text/markdown',
    scope: 'project',
    name: 'docs/architecture.md',
    instructions: 'Write the architecture document in Markdown: modules and their dependencies, data stores, events between modules, scaling and resilience, environments.',
  },
  EmitOpenApiContract: {
    kind: 'openapi-contract',
    contentType: 'application/yaml',
    scope: 'module',
    name: '{module}/openapi.yaml',
    instructions: "Write the module's OpenAPI 3.1 contract in YAML: CRUD operations per entity under the API route prefix and versions, paging, problem+json errors.",
  },
  DefineEventContracts: {
    kind: 'event-schema',
    contentType: 'application/schema+json',
    scope: 'module',
    name: '{module}/events/<EventType>.schema.json',
    instructions: 'Write one JSON Schema per event the module emits, describing the CloudEvents data of that event.',
  },
  GenerateService: {
    kind: 'service-code',
    contentType: 'text/x-typescript; charset=utf-8',
    scope: 'module',
    name: '{module}/src/<file>.ts',
    instructions: 'Write the TypeScript service of the module: HTTP handlers per entity, validation, repository, event publishing.',
  },
  GenerateTests: {
    kind: 'tests',
    contentType: 'text/x-typescript; charset=utf-8',
    scope: 'module',
    name: '{module}/test/<file>.test.ts',
    instructions: "Write jest tests in TypeScript for the module's service: every operation, validation failures, events emitted.",
  },
  ValidateService: {
    kind: 'validation-report',
    contentType: 'application/json',
    scope: 'module',
    name: '{module}/validation-report.json',
    instructions: 'Write a JSON validation report of the service and its tests.',
  },
  GenerateBicep: {
    kind: 'bicep',
    contentType: 'text/x-bicep',
    scope: 'module',
    name: '{module}/infra/main.bicep',
    instructions: "Write the Bicep that provisions the module's Azure resources (its database and messaging), tagged with project and module.",
  },
  CreateK8sManifests: {
    kind: 'k8s-manifests',
    contentType: 'application/yaml',
    scope: 'module',
    name: '{module}/k8s/manifests.yaml',
    instructions: "Write the module's Kubernetes manifests in YAML: Deployment, Service and autoscaling from its scaling policy.",
  },
  GeneratePipeline: {
    kind: 'pipeline',
    contentType: 'application/yaml',
    scope: 'module',
    name: '{module}/<pipeline file>',
    instructions: "Write the module's CI/CD pipeline in YAML: build, test, then deploy through the environments in order.",
  },
  GenerateReleaseManifest: {
    kind: 'release-manifest',
    contentType: 'application/json',
    scope: 'project',
    name: 'release/manifest.json',
    instructions: 'Write the release manifest as JSON: every module with its artifacts and the environment promotion order.',
  },
};

/** The brief of a skill by name (`GenerateService`), or undefined. */
export function skillBrief(skillName: string): SkillBrief | undefined {
  return Object.hasOwn(SKILL_BRIEFS, skillName) ? SKILL_BRIEFS[skillName] : undefined;
}
