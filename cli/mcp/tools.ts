import path from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { listAllArtifacts, pullArtifacts, type Artifact } from '../artifactPull';
import { locatePaths } from '../blueprintPositions';
import { seg, type BinaryAnswer } from '../client';
import type { CommandContext } from '../context';
import { ApiError } from '../errors';
import { followWorkflow, type Approval, type Workflow } from '../workflowFollow';
import { runTool } from './results';
import * as s from './schemas';

type Extra = { _meta?: { progressToken?: string | number }; sendNotification: (n: { method: 'notifications/progress'; params: { progressToken: string | number; progress: number; total?: number; message?: string } }) => Promise<void>; signal: AbortSignal };

const MAX_WAIT_SECONDS = 600;

/** Sends blueprint text; a refusal's problems get the line and column of their path in that text. */
async function sendBlueprint<T>(ctx: CommandContext, route: string, text: string, format: string | undefined): Promise<T> {
  try {
    return await ctx.client.request<T>('POST', route, { body: text, contentType: format === 'json' ? 'application/json' : 'application/yaml', feature: 'Blueprint validation' });
  } catch (error) {
    if (error instanceof ApiError && error.problem.errors?.length) {
      // Problems the server already located (blueprints/validate) keep its line and column.
      const at = locatePaths(text, error.problem.errors.filter((e) => e.line === undefined).map((e) => e.path));
      error.problem.errors = error.problem.errors.map((e) => (e.line !== undefined ? e : { ...e, ...(at.get(e.path) ?? {}) }));
    }
    throw error;
  }
}

/** Registers the factory's tools on an MCP server; every call goes to the public API with the profile's key. */
export function registerTools(server: McpServer, ctx: CommandContext): void {
  registerBlueprintTools(server, ctx);
  registerWorkflowTools(server, ctx);
  registerApprovalTools(server, ctx);
  registerArtifactTools(server, ctx);
  registerUsageTool(server, ctx);
  registerReleaseTool(server, ctx);
}

/** `tenants/{t}/projects/{p}` of a tool call (the profile's project by default). */
function projectPathOf(ctx: CommandContext, projectId?: string): string {
  return ctx.projectPath('', projectId).replace(/\/$/, '');
}

/** validate_blueprint, submit_blueprint. */
function registerBlueprintTools(server: McpServer, ctx: CommandContext): void {
  const project = (projectId?: string) => projectPathOf(ctx, projectId);

  server.registerTool(
    'validate_blueprint',
    {
      title: 'Validate a blueprint',
      description: 'Checks blueprint text exactly as a submit would, without storing it. Invalid: problem details whose errors[] give each problem’s path, code, line and column.',
      inputSchema: { projectId: s.projectIdInput, blueprint: s.blueprintInput, format: s.formatInput },
      outputSchema: s.validationOutput,
      annotations: { readOnlyHint: true },
    },
    ({ projectId, blueprint, format }) => runTool(() => sendBlueprint(ctx, `${project(projectId)}/blueprints/validate`, blueprint, format)),
  );

  server.registerTool(
    'submit_blueprint',
    {
      title: 'Submit a blueprint',
      description: 'Stores a valid blueprint as the project’s next immutable version (the same content returns its existing version). Invalid: problem details with every problem’s path.',
      inputSchema: { projectId: s.projectIdInput, blueprint: s.blueprintInput, format: s.formatInput },
      outputSchema: s.versionOutput,
    },
    ({ projectId, blueprint, format }) => runTool(() => sendBlueprint(ctx, `${project(projectId)}/blueprints`, blueprint, format)),
  );
}

/** start_workflow, watch_workflow. */
function registerWorkflowTools(server: McpServer, ctx: CommandContext): void {
  const project = (projectId?: string) => projectPathOf(ctx, projectId);

  server.registerTool(
    'start_workflow',
    {
      title: 'Start a workflow',
      description: 'Starts ProjectBootstrap (vision → architecture → ArchitectureApproval → one MicroserviceAssembly per module → commit) or SprintExecution on a blueprint version (default: the latest).',
      inputSchema: {
        projectId: s.projectIdInput,
        kind: z.enum(['ProjectBootstrap', 'SprintExecution']).optional().describe('Default ProjectBootstrap'),
        blueprintVersion: z.number().int().positive().optional(),
        fromVersion: z.number().int().positive().optional().describe('SprintExecution: the version to diff against'),
      },
      outputSchema: s.workflowOutput,
    },
    ({ projectId, kind, blueprintVersion, fromVersion }) =>
      runTool(() => ctx.client.post<Record<string, unknown>>(`${project(projectId)}/workflows`, { kind: kind ?? 'ProjectBootstrap', blueprintVersion, fromVersion })),
  );

  server.registerTool(
    'watch_workflow',
    {
      title: 'Watch a workflow',
      description:
        'Waits until the workflow ends or waits for a human approval (or timeoutSeconds pass: outcome "running", call again) and returns it with its step timeline. Sends progress notifications when the call has a progress token.',
      inputSchema: {
        projectId: s.projectIdInput,
        workflowId: z.string().min(1),
        timeoutSeconds: z.number().int().min(0).max(MAX_WAIT_SECONDS).optional().describe('How long to wait (default 120; 0 reads once)'),
      },
      outputSchema: s.watchOutput,
      annotations: { readOnlyHint: true },
    },
    ({ projectId, workflowId, timeoutSeconds }, extra) => runTool(() => watch(ctx, project(projectId), workflowId, timeoutSeconds ?? 120, extra as unknown as Extra)),
  );
}

/** list_approvals, decide_approval (the API decides who may). */
function registerApprovalTools(server: McpServer, ctx: CommandContext): void {
  server.registerTool(
    'list_approvals',
    {
      title: 'List approvals',
      description: 'The approvals inbox (default: pending). Deciding is a human’s act unless this key’s roles are eligible (see decide_approval).',
      inputSchema: {
        status: z.enum(['pending', 'approved', 'rejected', 'expired', 'cancelled']).optional().describe('Default pending'),
        workflowId: z.string().optional(),
        projectId: z.string().optional().describe('Only this project’s'),
      },
      outputSchema: s.approvalsOutput,
      annotations: { readOnlyHint: true },
    },
    ({ status, workflowId, projectId }) =>
      runTool(() => ctx.client.get<Record<string, unknown>>(ctx.tenantPath('approvals'), { query: { status: status ?? 'pending', workflowId, projectId, limit: 1000 } })),
  );

  server.registerTool(
    'decide_approval',
    {
      title: 'Approve or reject',
      description: 'Records a decision on a pending approval. The factory accepts it only when this key holds one of the approval’s eligibleRoles (403 NotAnApprover otherwise); the first decision wins.',
      inputSchema: { approvalId: z.string().min(1), decision: z.enum(['approve', 'reject']), comment: z.string().max(2000).optional() },
      outputSchema: s.approvalOutput,
      annotations: { destructiveHint: true },
    },
    ({ approvalId, decision, comment }) => runTool(() => ctx.client.post<Record<string, unknown>>(ctx.tenantPath(`approvals/${seg(approvalId)}/decision`), { decision, comment })),
  );
}

/** list_artifacts, read_artifact, pull_module. */
function registerArtifactTools(server: McpServer, ctx: CommandContext): void {
  const project = (projectId?: string) => projectPathOf(ctx, projectId);

  server.registerTool(
    'list_artifacts',
    {
      title: 'List artifacts',
      description: 'The project’s artifacts (vision, architecture, OpenAPI, event schemas, service code, tests, Bicep, Kubernetes, pipelines), oldest first; name is the path in the project repository.',
      inputSchema: { projectId: s.projectIdInput, workflowId: z.string().optional(), module: z.string().optional(), kind: z.string().optional() },
      outputSchema: s.artifactsOutput,
      annotations: { readOnlyHint: true },
    },
    ({ projectId, workflowId, module, kind }) => runTool(async () => ({ items: await listAllArtifacts(ctx.client, project(projectId), { workflowId, module, kind }) })),
  );

  server.registerTool(
    'read_artifact',
    {
      title: 'Read an artifact',
      description: 'An artifact’s metadata and content (utf8 text, or base64 for binary content).',
      inputSchema: { projectId: s.projectIdInput, artifactId: z.string().min(1) },
      outputSchema: s.artifactContentOutput,
      annotations: { readOnlyHint: true },
    },
    ({ projectId, artifactId }) => runTool(() => readArtifact(ctx, project(projectId), artifactId)),
  );

  server.registerTool(
    'pull_module',
    {
      title: 'Pull a module’s code',
      description: 'Writes a module’s generated files (newest version of each, or those of one workflow) under a local directory, at their paths in the project repository.',
      inputSchema: {
        projectId: s.projectIdInput,
        module: z.string().min(1).describe('Module name from the blueprint, e.g. BookingService'),
        workflowId: z.string().optional().describe('Only the files this workflow produced'),
        directory: z.string().min(1).describe('Target directory (relative to the server’s working directory)'),
      },
      outputSchema: s.pulledOutput,
    },
    ({ projectId, module, workflowId, directory }) =>
      runTool(async () => ({ directory: path.resolve(directory), files: await pullArtifacts(ctx.client, project(projectId), { module, workflowId }, directory) })),
  );
}

/** usage. */
function registerUsageTool(server: McpServer, ctx: CommandContext): void {
  server.registerTool(
    'usage',
    {
      title: 'Usage and cost',
      description: 'Agent tasks, tokens and estimated cost of the tenant or a project for a month or a day, with the budget status.',
      inputSchema: { period: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/).optional().describe('YYYY-MM or YYYY-MM-DD (default: this month)'), projectId: z.string().optional() },
      outputSchema: s.usageOutput,
      annotations: { readOnlyHint: true },
    },
    ({ period, projectId }) => runTool(() => ctx.client.get<Record<string, unknown>>(ctx.tenantPath('usage'), { query: { period, projectId } })),
  );
}

async function watch(ctx: CommandContext, projectPath: string, workflowId: string, timeoutSeconds: number, extra: Extra): Promise<Record<string, unknown>> {
  const timeout = AbortSignal.timeout(Math.max(1, timeoutSeconds) * 1000);
  const signal = AbortSignal.any([timeout, extra.signal]);
  const token = extra._meta?.progressToken;
  let last: Workflow | undefined;
  const followed = await followWorkflow(ctx.client, {
    tenantPath: ctx.tenantPath(),
    projectPath,
    workflowId,
    signal: timeoutSeconds === 0 ? AbortSignal.abort() : signal,
    onUpdate: (workflow) => {
      last = workflow;
      if (token === undefined) return;
      const steps = workflow.timeline ?? [];
      const done = steps.filter((step) => step.status === 'succeeded').length;
      void extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: done, message: `${workflow.status}: ${done}/${steps.length} steps done` } }).catch(() => undefined);
    },
  });
  if (followed) return { outcome: followed.outcome, workflow: followed.workflow, ...(followed.approval ? { approval: followed.approval satisfies Approval } : {}) };
  const workflow = last ?? (await ctx.client.get<Workflow>(`${projectPath}/workflows/${seg(workflowId)}`));
  return { outcome: 'running', workflow };
}

async function readArtifact(ctx: CommandContext, projectPath: string, artifactId: string): Promise<Record<string, unknown>> {
  const base = `${projectPath}/artifacts/${seg(artifactId)}`;
  const [artifact, content] = await Promise.all([ctx.client.get<Artifact>(base), ctx.client.request<BinaryAnswer>('GET', `${base}/content`, { binary: true })]);
  return { artifact, ...toText(content.bytes, artifact.contentType) };
}

/** utf8 text for text content types (and valid utf8), base64 otherwise. */
export function toText(bytes: Buffer, contentType: string): { encoding: 'utf8' | 'base64'; content: string } {
  const text = bytes.toString('utf8');
  const textual = /^text\/|json|yaml|xml|javascript|typescript/.test(contentType) || Buffer.from(text, 'utf8').equals(bytes);
  return textual ? { encoding: 'utf8', content: text } : { encoding: 'base64', content: bytes.toString('base64') };
}

/** promote_release: `POST …/releases/{id}/promotions` (policy, approval where asked, deploy, checks). */
function registerReleaseTool(server: McpServer, ctx: CommandContext): void {
  const project = (projectId?: string) => projectPathOf(ctx, projectId);
  server.registerTool(
    'promote_release',
    {
      title: 'Promote a release',
      description: 'Promotes a finished release to its next environment (the one after the furthest it reached). It runs again for that environment: policy, approval where asked (e.g. production by a ReleaseManager), deploy, health check, smoke call. 409 PromotionOutOfOrder, AlreadyPromoted or ReleaseRunning otherwise. Needs a TenantAdmin or ReleaseManager key.',
      inputSchema: { projectId: s.projectIdInput, releaseId: z.string().min(1), environment: z.enum(['dev', 'staging', 'production']) },
      outputSchema: s.releaseOutput,
      annotations: { destructiveHint: true },
    },
    ({ projectId, releaseId, environment }) => runTool(() => ctx.client.post<Record<string, unknown>>(`${project(projectId)}/releases/${seg(releaseId)}/promotions`, { environment })),
  );
}
