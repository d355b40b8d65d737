import { z } from 'zod';

/** The model providers an agent may run on: `builtin` (the deterministic skills) and `azure-openai`. */
export const MODEL_PROVIDERS = ['builtin', 'azure-openai'] as const;

export const modelProviderNameSchema = z.enum(MODEL_PROVIDERS);

export type ModelProviderName = z.infer<typeof modelProviderNameSchema>;

/**
 * An agent's model policy: the providers it may use (in order of preference), the Azure OpenAI
 * deployment when not the configured default, the completion-token ceiling per model call, and what
 * to do when the model fails (`builtin`: run the deterministic skill instead; `null`: fail the task).
 */
export const modelPolicySchema = z
  .object({
    allowedProviders: z.array(modelProviderNameSchema).min(1),
    deployment: z.string().min(1).optional(),
    tokenCeiling: z.number().int().positive(),
    fallback: z.literal('builtin').nullable(),
  })
  .meta({ id: 'ModelPolicy' });

export type ModelPolicy = z.infer<typeof modelPolicySchema>;

/** Every built-in agent role (SPEC §6): the roles the coordinator workflows hand tasks to. */
export const AGENT_ROLES = [
  'vision-architect',
  'solution-architect',
  'api-designer',
  'event-driven-architect',
  'backend-developer',
  'qa-engineer',
  'cloud-provisioner',
  'infrastructure-engineer',
  'devops-engineer',
  'release-manager',
] as const;

export const agentRoleSchema = z.enum(AGENT_ROLES);

export type AgentRole = z.infer<typeof agentRoleSchema>;

/** One agent of the registry: an instance of a role (`backend-developer-2`), its skills and model policy. */
export const agentView = z
  .object({
    agentId: z.string(),
    role: agentRoleSchema,
    displayName: z.string(),
    description: z.string(),
    /** Skill names the agent runs, addressed as `role/skill` in tasks (`backend-developer/GenerateService`). */
    skills: z.array(z.string()),
    modelPolicy: modelPolicySchema,
  })
  .meta({ id: 'Agent' });

export type AgentDefinition = z.infer<typeof agentView>;

export const agentList = z.object({ items: z.array(agentView) }).meta({ id: 'AgentList' });

export const agentListQuery = z.object({ role: agentRoleSchema.optional() });

export const agentParams = z.object({
  agentId: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'an agent id such as backend-developer-1'),
});
