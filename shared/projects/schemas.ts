import { z } from 'zod';
import { idSchema } from '../platform/http/tenantParams';
import type { StoredDocument } from '../platform/ports';
import type { ProjectDocument } from './lookup';

export type { ProjectDocument } from './lookup';

/** The deployment environments of a project, in promotion order. */
export const ENVIRONMENTS = ['dev', 'staging', 'production'] as const;
export const environmentSchema = z.enum(ENVIRONMENTS);

/** Body of `POST .../projects`; without `projectId` the id is the slug of the name. */
export const newProjectSchema = z
  .strictObject({
    projectId: idSchema.optional().describe('Default: the slug of the name'),
    name: z.string().trim().min(1).max(100),
    description: z.string().trim().max(2000).optional(),
    environments: z
      .array(environmentSchema)
      .min(1)
      .refine((list) => new Set(list).size === list.length, 'each environment at most once')
      .default([...ENVIRONMENTS])
      .describe('Default: dev, staging, production; stored in promotion order'),
  })
  .meta({ id: 'NewProject' });

export type NewProject = z.infer<typeof newProjectSchema>;

/** `?limit=&continuation=` of a list. */
export const projectPageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  continuation: z.string().min(1).optional(),
});

export type ProjectPageQuery = z.infer<typeof projectPageQuery>;

export const projectView = z
  .object({
    projectId: z.string(),
    tenantId: z.string(),
    name: z.string(),
    description: z.string().optional(),
    environments: z.array(environmentSchema),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Project' });

export type ProjectView = z.infer<typeof projectView>;

export const moduleView = z.object({ name: z.string(), kind: z.string(), dependsOn: z.array(z.string()) }).meta({ id: 'ProjectModule' });

export type ModuleView = z.infer<typeof moduleView>;

export const projectDetailView = projectView
  .extend({
    blueprintVersion: z.number().int().nullable().describe('The latest valid blueprint version, which the modules come from; null when none'),
    modules: z.array(moduleView),
  })
  .meta({ id: 'ProjectDetail' });

export type ProjectDetailView = z.infer<typeof projectDetailView>;

export const projectPage = z.object({ items: z.array(projectView), continuation: z.string().optional() }).meta({ id: 'ProjectPage' });

/** How many projects a tenant has: container `projects`, partition `{ tenantId }`; moves with ifMatch in each create's batch. */
export interface ProjectCounterDocument extends StoredDocument {
  type: 'projectCounter';
  count: number;
}

/** A blueprint version as the blueprints context stores it (only the fields read here). */
export interface BlueprintVersionDocument extends StoredDocument {
  type: 'blueprintVersion';
  version: number;
  status: string;
  modules?: { name: string; kind: string; dependsOn?: string[] }[];
}

/** A project's blueprint head as the blueprints context stores it (only the fields read here). */
export interface BlueprintHeadDocument extends StoredDocument {
  type: 'blueprintHead';
  latestVersion: number;
  latestModules?: BlueprintVersionDocument['modules'];
}

export function toProjectView(project: ProjectDocument): ProjectView {
  const { id, tenantId, name, description, environments, createdAt, createdBy, updatedAt } = project;
  return {
    projectId: id,
    tenantId,
    name,
    ...(description !== undefined ? { description } : {}),
    environments: environments.filter((e): e is (typeof ENVIRONMENTS)[number] => (ENVIRONMENTS as readonly string[]).includes(e)),
    createdAt,
    createdBy,
    updatedAt,
  };
}

export function toModuleView(module: NonNullable<BlueprintVersionDocument['modules']>[number]): ModuleView {
  return { name: module.name, kind: module.kind, dependsOn: [...(module.dependsOn ?? [])] };
}
