import { z } from 'zod';

/** Project id; defaults to the profile's project. */
export const projectIdInput = z.string().min(1).optional().describe("Project id (default: the profile's project)");
export const blueprintInput = z.string().min(1).describe('The blueprint text, YAML or JSON (apiVersion factory/v1, kind Blueprint)');
export const formatInput = z.enum(['yaml', 'json']).optional().describe('How the text is written (default: yaml)');

const moduleSummary = z.object({ name: z.string(), kind: z.string(), dependsOn: z.array(z.string()) });

export const validationOutput = z.looseObject({ valid: z.literal(true), name: z.string(), contentHash: z.string(), modules: z.array(moduleSummary), existingVersion: z.number().optional() });
export const versionOutput = z.looseObject({ version: z.number(), name: z.string(), contentHash: z.string(), modules: z.array(moduleSummary) });

const step = z.looseObject({ step: z.string(), module: z.string().optional(), agent: z.string().optional(), skill: z.string().optional(), attempts: z.number(), status: z.string() });
export const workflowOutput = z.looseObject({
  workflowId: z.string(),
  kind: z.string(),
  status: z.enum(['Running', 'Completed', 'Failed', 'Rejected', 'Cancelled']),
  blueprintVersion: z.number(),
  timeline: z.array(step).optional(),
});
export const watchOutput = z.looseObject({
  outcome: z.enum(['completed', 'failed', 'rejected', 'cancelled', 'waiting-for-approval', 'running']).describe('running: the wait timed out; call again'),
  workflow: workflowOutput,
  approval: z.looseObject({ id: z.string(), gate: z.string(), eligibleRoles: z.array(z.string()) }).optional(),
});

const approval = z.looseObject({ id: z.string(), workflowId: z.string(), gate: z.string(), status: z.string(), eligibleRoles: z.array(z.string()) });
export const approvalsOutput = z.object({ items: z.array(approval) });
export const approvalOutput = approval;

const artifact = z.looseObject({ id: z.string(), kind: z.string(), name: z.string().describe('Path in the project repository'), module: z.string().optional(), version: z.number(), size: z.number() });
export const artifactsOutput = z.object({ items: z.array(artifact) });
export const artifactContentOutput = z.object({ artifact, encoding: z.enum(['utf8', 'base64']), content: z.string() });
export const pulledOutput = z.object({ directory: z.string(), files: z.array(z.object({ path: z.string(), artifactId: z.string(), bytes: z.number() })) });
export const usageOutput = z.looseObject({ period: z.string(), totals: z.looseObject({ records: z.number(), costUsd: z.number() }) });

/** A release (shared/delivery/schemas.ts releaseView) as the promote route answers it. */
export const releaseOutput = z.looseObject({ releaseId: z.string(), version: z.string(), status: z.enum(['Running', 'Succeeded', 'Failed', 'Rejected']), environment: z.string().optional(), manifest: z.looseObject({ commit: z.string(), environments: z.array(z.looseObject({ name: z.string() })) }) });
