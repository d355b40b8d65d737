import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { listAllArtifacts, type Artifact } from '../artifactPull';
import { seg, type BinaryAnswer } from '../client';
import type { CommandContext } from '../context';
import { registerTools } from './tools';
import { toText } from './tools';

const ARTIFACT_URI = 'factory://artifacts/{projectId}/{artifactId}';
/** Artifacts listed as resources per project (the newest first page); tools page through all. */
const RESOURCE_LIST_LIMIT = 200;

/** Builds the factory's MCP server: the tools, and every artifact as a resource. */
export function createMcpServer(ctx: CommandContext): McpServer {
  const { version } = require('../../../package.json') as { version: string };
  const server = new McpServer(
    { name: 'software-factory', version },
    { instructions: 'Software Factory: validate and submit blueprints, start and watch workflows, see approvals, read artifacts and pull generated code. Deciding an approval needs an eligible role.' },
  );
  registerTools(server, ctx);
  server.registerResource(
    'artifact',
    new ResourceTemplate(ARTIFACT_URI, { list: () => listArtifactResources(ctx) }),
    { title: 'Factory artifact', description: 'An artifact’s content (vision, contracts, code, tests, infrastructure)' },
    async (uri, variables) => {
      const projectPath = ctx.projectPath('', String(variables.projectId)).replace(/\/$/, '');
      const base = `${projectPath}/artifacts/${seg(String(variables.artifactId))}`;
      const [artifact, content] = await Promise.all([ctx.client.get<Artifact>(base), ctx.client.request<BinaryAnswer>('GET', `${base}/content`, { binary: true })]);
      const text = toText(content.bytes, artifact.contentType);
      return { contents: [text.encoding === 'utf8' ? { uri: uri.href, mimeType: artifact.contentType, text: text.content } : { uri: uri.href, mimeType: artifact.contentType, blob: text.content }] };
    },
  );
  return server;
}

async function listArtifactResources(ctx: CommandContext) {
  const projects = ctx.profile.project ? [ctx.profile.project] : (await ctx.client.get<{ items: { projectId: string }[] }>(ctx.tenantPath('projects'), { query: { limit: 100 } })).items.map((p) => p.projectId);
  const resources = [];
  for (const projectId of projects) {
    const artifacts = await listAllArtifacts(ctx.client, ctx.projectPath('', projectId).replace(/\/$/, ''), {});
    for (const artifact of artifacts.slice(-RESOURCE_LIST_LIMIT)) {
      resources.push({ uri: `factory://artifacts/${seg(projectId)}/${seg(artifact.id)}`, name: `${projectId}/${artifact.name}`, title: `${artifact.name} v${artifact.version}`, mimeType: artifact.contentType });
    }
  }
  return { resources };
}

/** Serves over stdio until the client closes stdin; logs go to stderr only (stdout is the protocol). */
export async function serveMcp(ctx: CommandContext): Promise<void> {
  const server = createMcpServer(ctx);
  const transport = new StdioServerTransport();
  await server.connect(transport);
  process.stderr.write(`factory mcp: serving ${ctx.client.baseUrl} (profile ${ctx.profileName}) on stdio\n`);
  await new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
}
