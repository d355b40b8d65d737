import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { FactoryApp, startFactoryApp } from '../support/factoryApp';
import { setupTenant, TenantSetup, VETCLINIC } from '../support/factoryScenario';
import { repoRoot } from '../support/hostProcess';
import { cleanEnv, factoryBin } from './cliProcess';

const BROKEN = fs.readFileSync(path.join(repoRoot, 'shared/blueprints/examples/broken.yaml'), 'utf8');
const LONG = { timeout: 300000, resetTimeoutOnProgress: true };

/** A coding agent: the SDK's own client, speaking to `factory mcp` over stdio with a key of the tenant. */
async function connectAgent(app: FactoryApp, key: string): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [factoryBin, 'mcp'],
    env: { ...(cleanEnv() as Record<string, string>), XDG_CONFIG_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'factory-mcp-')), FACTORY_URL: app.host.origin, FACTORY_KEY: key, FACTORY_PROJECT: 'vetclinic' },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'test-agent', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Result = { isError?: boolean; structuredContent?: any; content: { type: string; text?: string }[] };

describe('factory mcp: the factory as MCP tools and resources', () => {
  let app: FactoryApp;
  let tenant: TenantSetup;
  let agent: Client;
  beforeAll(async () => {
    app = await startFactoryApp();
    tenant = await setupTenant(app, 'mcp-agent');
    expect((await app.call('POST', 'tenants/mcp-agent/projects', { key: tenant.keys.admin, body: { projectId: 'vetclinic', name: 'Vet clinic' } })).status).toBe(201);
    agent = await connectAgent(app, tenant.keys.architect);
  });
  afterAll(async () => {
    await agent?.close();
    await app?.stop();
  });

  const call = (name: string, args: Record<string, unknown>, client = agent) => client.callTool({ name, arguments: args }, undefined, LONG) as Promise<Result>;

  it('submits a blueprint, starts a bootstrap, waits for a human approval, then pulls the generated code', async () => {
    const { tools } = await agent.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      ['decide_approval', 'list_approvals', 'list_artifacts', 'promote_release', 'pull_module', 'read_artifact', 'start_workflow', 'submit_blueprint', 'usage', 'validate_blueprint', 'watch_workflow'].sort(),
    );
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
      expect(tool.description).toBeTruthy();
    }

    const invalid = await call('validate_blueprint', { blueprint: BROKEN });
    expect(invalid.isError).toBe(true);
    const problem = JSON.parse(invalid.content[0].text!);
    expect(problem).toMatchObject({ status: 422, code: 'BlueprintInvalid' });
    expect(problem.errors).toContainEqual(expect.objectContaining({ path: 'spec.modules[0].dependsOn[0]', code: 'DependencyCycle', line: 21, column: 19 }));
    expect((await call('validate_blueprint', { blueprint: VETCLINIC })).structuredContent).toMatchObject({ valid: true, name: 'vetclinic' });

    const submitted = await call('submit_blueprint', { blueprint: VETCLINIC });
    expect(submitted.structuredContent).toMatchObject({ version: 1, name: 'vetclinic' });
    const started = await call('start_workflow', { kind: 'ProjectBootstrap' });
    expect(started.structuredContent).toMatchObject({ kind: 'ProjectBootstrap', status: 'Running', blueprintVersion: 1 });
    const workflowId = started.structuredContent.workflowId as string;

    const progress: string[] = [];
    const waiting = (await agent.callTool({ name: 'watch_workflow', arguments: { workflowId, timeoutSeconds: 240 } }, undefined, { ...LONG, onprogress: (p) => progress.push(p.message ?? '') })) as Result;
    expect(progress.at(-1)).toMatch(/^Running: \d+\/\d+ steps done$/);
    expect(waiting.structuredContent).toMatchObject({ outcome: 'waiting-for-approval', approval: { gate: 'ArchitectureApproval', eligibleRoles: ['Architect'] } });
    const approvalId = waiting.structuredContent.approval.id as string;
    expect((await call('list_approvals', {})).structuredContent.items.map((a: { id: string }) => a.id)).toContain(approvalId);

    // An agent whose key holds no eligible role cannot decide: the factory answers 403 as problem details.
    const viewerAgent = await connectAgent(app, tenant.keys.viewer);
    try {
      const refused = await call('decide_approval', { approvalId, decision: 'approve' }, viewerAgent);
      expect(refused.isError).toBe(true);
      expect(JSON.parse(refused.content[0].text!)).toMatchObject({ status: 403, code: 'NotAnApprover' });
    } finally {
      await viewerAgent.close();
    }

    // A person approves through the API.
    const human = await app.call<{ secret: string }>('POST', 'tenants/mcp-agent/keys', { key: tenant.keys.admin, body: { name: 'carol', roles: ['Architect'] } });
    expect((await app.call('POST', `tenants/mcp-agent/approvals/${approvalId}/decision`, { key: human.body.secret, body: { decision: 'approve', comment: 'go' } })).status).toBe(200);

    let done = await call('watch_workflow', { workflowId, timeoutSeconds: 300 });
    while (done.structuredContent?.outcome === 'running') done = await call('watch_workflow', { workflowId, timeoutSeconds: 300 });
    expect(done.structuredContent).toMatchObject({ outcome: 'completed', workflow: { status: 'Completed' } });

    const artifacts = (await call('list_artifacts', { workflowId, module: 'BookingService' })).structuredContent.items as { id: string; name: string; kind: string }[];
    expect(artifacts.length).toBeGreaterThan(5);
    const target = fs.mkdtempSync(path.join(os.tmpdir(), 'pulled-'));
    const pulled = await call('pull_module', { module: 'BookingService', workflowId, directory: target });
    expect(pulled.structuredContent.files).toHaveLength(artifacts.length);
    for (const artifact of artifacts) expect(fs.existsSync(path.join(target, artifact.name))).toBe(true);
    const contract = artifacts.find((a) => a.kind === 'openapi-contract')!;
    expect(fs.readFileSync(path.join(target, contract.name), 'utf8')).toMatch(/^openapi: 3\.1/m);

    const read = await call('read_artifact', { artifactId: contract.id });
    expect(read.structuredContent).toMatchObject({ encoding: 'utf8', artifact: { id: contract.id } });
    expect(read.structuredContent.content).toBe(fs.readFileSync(path.join(target, contract.name), 'utf8'));

    const { resources } = await agent.listResources();
    const uri = `factory://artifacts/vetclinic/${contract.id}`;
    expect(resources.map((r) => r.uri)).toContain(uri);
    const resource = await agent.readResource({ uri });
    expect(resource.contents[0]).toMatchObject({ uri, text: read.structuredContent.content });

    expect((await call('usage', {})).structuredContent.totals.records).toBeGreaterThan(0);
  }, 500000);
});
