import { NotFound } from '../platform/http/errors';
import type { AgentDefinition, AgentRole, ModelPolicy } from './schemas';

/** A role as declared: what its agents do, the skills they run and the policy they share. */
interface RoleDeclaration {
  role: AgentRole;
  displayName: string;
  description: string;
  skills: string[];
  modelPolicy: ModelPolicy;
  /** How many interchangeable agents of the role exist (`{role}-1` … `{role}-n`), so a task can be reassigned. */
  instances: number;
}

/**
 * Documents are prose nothing compiles, so their authors may use a model (and fall back to the
 * deterministic skill); everything downstream is compiled, deployed or diffed, so it stays builtin.
 */
const MODEL_AUTHORED = (tokenCeiling: number): ModelPolicy => ({ allowedProviders: ['azure-openai', 'builtin'], tokenCeiling, fallback: 'builtin' });
const DETERMINISTIC = (tokenCeiling: number): ModelPolicy => ({ allowedProviders: ['builtin'], tokenCeiling, fallback: null });

const ROLE_DECLARATIONS: readonly RoleDeclaration[] = [
  {
    role: 'vision-architect',
    displayName: 'Vision Architect',
    description: 'Turns a blueprint into the vision document: problem, actors, capabilities and scope per module.',
    skills: ['DraftVisionDocument'],
    modelPolicy: MODEL_AUTHORED(4000),
    instances: 2,
  },
  {
    role: 'solution-architect',
    displayName: 'Solution Architect',
    description: 'Designs the architecture: modules, their dependencies, data stores, messaging and cross-cutting concerns.',
    skills: ['DesignArchitecture'],
    modelPolicy: MODEL_AUTHORED(8000),
    instances: 2,
  },
  {
    role: 'api-designer',
    displayName: 'API Designer',
    description: "Emits each module's OpenAPI 3.1 contract.",
    skills: ['EmitOpenApiContract'],
    modelPolicy: DETERMINISTIC(8000),
    instances: 2,
  },
  {
    role: 'event-driven-architect',
    displayName: 'Event-Driven Architect',
    description: 'Defines the event contracts (CloudEvents data schemas) a module emits and consumes.',
    skills: ['DefineEventContracts'],
    modelPolicy: DETERMINISTIC(8000),
    instances: 2,
  },
  {
    role: 'backend-developer',
    displayName: 'Backend Developer',
    description: 'Generates the service code of a module from its contracts.',
    skills: ['GenerateService'],
    modelPolicy: DETERMINISTIC(16000),
    instances: 2,
  },
  {
    role: 'qa-engineer',
    displayName: 'QA Engineer',
    description: 'Generates the tests of a service, then compiles the service and runs them.',
    skills: ['GenerateTests', 'ValidateService'],
    modelPolicy: DETERMINISTIC(16000),
    instances: 2,
  },
  {
    role: 'cloud-provisioner',
    displayName: 'Cloud Provisioner',
    description: 'Generates the Bicep that provisions the Azure resources of a module.',
    skills: ['GenerateBicep'],
    modelPolicy: DETERMINISTIC(8000),
    instances: 2,
  },
  {
    role: 'infrastructure-engineer',
    displayName: 'Infrastructure Engineer',
    description: 'Creates the Kubernetes manifests of a module: deployment, service, autoscaling.',
    skills: ['CreateK8sManifests'],
    modelPolicy: DETERMINISTIC(8000),
    instances: 2,
  },
  {
    role: 'devops-engineer',
    displayName: 'DevOps Engineer',
    description: 'Generates the build, test and deploy pipeline of a module.',
    skills: ['GeneratePipeline'],
    modelPolicy: DETERMINISTIC(8000),
    instances: 2,
  },
  {
    role: 'release-manager',
    displayName: 'Release Manager',
    description: 'Generates the release manifest: module versions, artifacts and the environment promotion order.',
    skills: ['GenerateReleaseManifest'],
    modelPolicy: DETERMINISTIC(8000),
    instances: 2,
  },
];

function toAgents(declaration: RoleDeclaration): AgentDefinition[] {
  const { instances, ...shared } = declaration;
  return Array.from({ length: instances }, (_unused, index) => deepFreeze({ agentId: `${declaration.role}-${index + 1}`, ...structuredClone(shared) }));
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}

/** Every built-in agent, in workflow order of their roles, instances of a role in number order. Frozen. */
export const AGENTS: readonly AgentDefinition[] = Object.freeze(ROLE_DECLARATIONS.flatMap(toAgents));

const byId = new Map(AGENTS.map((agent) => [agent.agentId, agent]));

/** Every agent, or only those of `role`. */
export function listAgents(role?: string): AgentDefinition[] {
  return role === undefined ? [...AGENTS] : agentsFor(role);
}

/** The agent with this id, or undefined. */
export function findAgent(agentId: string): AgentDefinition | undefined {
  return byId.get(agentId);
}

/** The agent with this id; throws `NotFound` (code `AgentNotFound`) for an unknown id. */
export function getAgent(agentId: string): AgentDefinition {
  const agent = byId.get(agentId);
  if (!agent) throw new NotFound(`There is no agent '${agentId}'.`, 'AgentNotFound');
  return agent;
}

/** The agents of a role, in number order; empty for an unknown role. */
export function agentsFor(role: string): AgentDefinition[] {
  return AGENTS.filter((agent) => agent.role === role);
}

/**
 * The agent to hand a role's task to next: the first agent when there is no previous one (or it is
 * not of this role), else the one after `previousAgentId`, wrapping around — so a reassigned task
 * lands on a different agent whenever the role has more than one. Undefined for an unknown role.
 */
export function nextAgent(role: string, previousAgentId?: string): AgentDefinition | undefined {
  const agents = agentsFor(role);
  if (agents.length === 0) return undefined;
  const previous = previousAgentId === undefined ? -1 : agents.findIndex((agent) => agent.agentId === previousAgentId);
  return agents[(previous + 1) % agents.length];
}

/** The role whose agents run a skill (`GenerateService` or `backend-developer/GenerateService`), or undefined. */
export function roleForSkill(skill: string): AgentRole | undefined {
  const [role, name] = skill.includes('/') ? skill.split('/', 2) : [undefined, skill];
  const declaration = ROLE_DECLARATIONS.find((d) => d.skills.includes(name) && (role === undefined || d.role === role));
  return declaration?.role;
}
