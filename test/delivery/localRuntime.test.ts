import path from 'node:path';
import { LocalRuntimeProvider } from '../../shared/runtime/local/localRuntime';
import { stopReplica } from '../../shared/runtime/local/processTable';
import { ProjectRepository } from '../../shared/skills/repository';
import { tempDataDir } from '../support/hostProcess';
import { runtimeContract } from './runtimeContract';

// A minimal service honouring the generated-service contract: PORT/HOST, /health/ready, exit on bad config.
const SERVER = `const http = require('node:http');
if (process.env.FAIL_AT_START) { console.error('invalid configuration: FAIL_AT_START'); process.exit(3); }
const items = new Map();
http.createServer((req, res) => {
  if (req.url === '/health/ready' || req.url === '/health/live') { res.writeHead(200); return res.end('ok'); }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ version: process.env.SERVICE_VERSION, greeting: process.env.GREETING ?? null }));
}).listen(Number(process.env.PORT), process.env.HOST);
`;

async function fixtureRepository(dataDir: string) {
  const repository = new ProjectRepository(dataDir, 't1', 'p1');
  const author = { name: 'T', email: 't@example.com' };
  const trailers = { 'Trace-Id': '0af7651916cd43dd8448eb211c80319c', 'Workflow-Id': 'w', 'Blueprint-Version': '1' };
  const pkg = (extra = '') => JSON.stringify({ name: 'svc', scripts: { start: `node server.js${extra}` } });
  const commits: Record<string, string> = {};
  for (const [version, source] of [['v1', SERVER], ['v2', `${SERVER}\n// v2\n`], ['broken', SERVER.replace('process.env.FAIL_AT_START', 'true')]] as const) {
    commits[version] = (await repository.commitArtifacts({ branch: `b/${version}`, artifacts: [{ path: 'svc/package.json', content: pkg() }, { path: 'svc/server.js', content: source }], message: version, author, trailers, replaceTree: true })).sha;
  }
  return { repository, commits };
}

runtimeContract('local', async () => {
  const dataDir = tempDataDir('runtime-');
  const { repository, commits } = await fixtureRepository(dataDir);
  const provider = new LocalRuntimeProvider(path.join(dataDir, 'runtime'));
  return {
    provider,
    module(name, version, replicas, config = {}) {
      const commit = commits[version];
      return { module: name, kind: 'microservice', version: `0.1.0+${commit.slice(0, 12)}`, commit, artifactHash: commit, replicas, config, secrets: {}, source: { gitdir: repository.gitdir, commit, folder: 'svc' } };
    },
    async cleanup() {
      await Promise.all(provider.runningPids().map((pid) => stopReplica(pid, 2000)));
    },
  };
});
