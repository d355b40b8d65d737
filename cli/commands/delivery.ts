import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { seg, type BinaryAnswer } from '../client';
import { contextOf, type CommandContext } from '../context';
import { UsageError } from '../errors';

// Delivery and runtime routes (repository archive, releases, promotions, drift) come with the
// delivery feature; a server without it answers RouteNotFound, reported as "not available".

async function archive(ctx: CommandContext, ref: string | undefined, format?: string): Promise<BinaryAnswer> {
  return ctx.client.request<BinaryAnswer>('GET', ctx.projectPath('repository/archive'), { query: { ref, format }, binary: true, feature: 'The repository archive' });
}

const extensionOf = (contentType: string) => (/gzip|x-tgz/.test(contentType) ? '.tar.gz' : /\/(x-)?zip\b/.test(contentType) ? '.zip' : '.tar');

function parseJson(text: string, flag: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new UsageError(`${flag} must be a JSON object.`);
  }
}

function registerRepo(program: Command): void {
  const repo = program.command('repo').description('The project’s git repository: archive, clone (delivery feature)');
  repo
    .command('archive')
    .description('Download the repository at a ref as an archive')
    .option('--ref <ref>', 'branch, tag or commit (default: the server’s default branch)')
    .option('--file <path>', 'where to write it (- for stdout; default <project>-<ref> with the archive’s extension)')
    .option('--format <format>', 'tar.gz (default) or zip')
    .action(async (options: { ref?: string; file?: string; format?: string }, command: Command) => {
      const ctx = contextOf(command);
      if (options.format !== undefined && !['tar.gz', 'zip'].includes(options.format)) throw new UsageError(`--format is tar.gz or zip, not '${options.format}'.`);
      const answer = await archive(ctx, options.ref, options.format);
      if (options.file === '-') {
        process.stdout.write(answer.bytes);
        return;
      }
      const file = options.file ?? `${ctx.project()}-${(options.ref ?? 'main').replace(/[^A-Za-z0-9._-]/g, '-')}${extensionOf(answer.contentType)}`;
      fs.writeFileSync(file, answer.bytes);
      ctx.print({ file, bytes: answer.bytes.length, contentType: answer.contentType }, { human: (f) => `Wrote ${f.file} (${f.bytes} bytes)` });
    });
  repo
    .command('clone')
    .description('Download the repository at a ref and unpack it into a folder (uses the system tar)')
    .argument('[dir]', 'target folder (default: the project id)')
    .option('--ref <ref>', 'branch, tag or commit')
    .action(async (dir: string | undefined, options: { ref?: string }, command: Command) => {
      const ctx = contextOf(command);
      const answer = await archive(ctx, options.ref);
      const target = dir ?? ctx.project();
      if (fs.existsSync(target) && fs.readdirSync(target).length > 0) throw new UsageError(`'${target}' exists and is not empty; pass another [dir].`);
      fs.mkdirSync(target, { recursive: true });
      const temp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'factory-clone-')), `archive${extensionOf(answer.contentType)}`);
      fs.writeFileSync(temp, answer.bytes);
      try {
        execFileSync('tar', ['-xf', temp, '-C', target], { stdio: ['ignore', 'ignore', 'inherit'] });
      } finally {
        fs.rmSync(path.dirname(temp), { recursive: true, force: true });
      }
      ctx.print({ dir: target, ref: options.ref ?? null }, { human: (c) => `Unpacked into ${c.dir}` });
    });
}

const environmentList = (value: string | undefined) => (value ? value.split(',').map((e) => e.trim()).filter(Boolean) : undefined);

function registerRelease(program: Command): void {
  const release = program.command('release').description('Releases of a project: create, list, show, promote (delivery feature)');
  const feature = 'Releases';
  release
    .command('create')
    .description('Release a commit (default main) through the environments in order (POST …/releases {ref, environments})')
    .option('--ref <ref>', 'branch, tag or commit id to release (default main)')
    .option('--environments <list>', "comma-separated environments, in order (default: the blueprint's)")
    .option('--body <json>', 'the exact request body (overrides the flags)')
    .action(async (options: { ref?: string; environments?: string; body?: string }, command: Command) => {
      const ctx = contextOf(command);
      const environments = environmentList(options.environments);
      const body = options.body ? parseJson(options.body, '--body') : { ...(options.ref ? { ref: options.ref } : {}), ...(environments ? { environments } : {}) };
      ctx.print(await ctx.client.request('POST', ctx.projectPath('releases'), { json: body, feature }));
    });
  release
    .command('list')
    .description('List the project’s releases')
    .action(async (_options, command: Command) => {
      const ctx = contextOf(command);
      ctx.print(await ctx.client.request('GET', ctx.projectPath('releases'), { feature }));
    });
  release
    .command('show')
    .description('Show a release with its promotions')
    .argument('<releaseId>', 'release id')
    .action(async (releaseId: string, _options, command: Command) => {
      const ctx = contextOf(command);
      ctx.print(await ctx.client.request('GET', ctx.projectPath(`releases/${seg(releaseId)}`), { feature }));
    });
  release
    .command('promote')
    .description('Promote a finished release to its next environment (POST …/releases/{id}/promotions {environment}): policy, approval where asked, deploy, health check, smoke call; 409 when out of order or already promoted')
    .argument('<releaseId>', 'release id')
    .requiredOption('--to <environment>', 'target environment: the one after the furthest the release reached (e.g. staging, production)')
    .action(async (releaseId: string, options: { to: string }, command: Command) => {
      const ctx = contextOf(command);
      ctx.print(await ctx.client.request('POST', ctx.projectPath(`releases/${seg(releaseId)}/promotions`), { json: { environment: options.to }, feature: 'Release promotion' }));
    });
}

/** The parts of an `Environment` view (GET …/environments/{env}) the human output shows. */
interface EnvironmentAnswer {
  name: string;
  selfHeal: boolean;
  desired?: { releaseId: string; stoppedAt?: string };
  live?: { module: string; version?: string; endpoint?: string; replicas: { ready: boolean }[] }[];
}

/** One environment as lines: what is desired, then per module where it answers and how many replicas are ready. */
function environmentText(environment: EnvironmentAnswer): string {
  const desired = environment.desired ? (environment.desired.stoppedAt ? `stopped at ${environment.desired.stoppedAt} (last release ${environment.desired.releaseId})` : `release ${environment.desired.releaseId}`) : 'nothing released';
  const head = `${environment.name}: ${desired}; self-heal ${environment.selfHeal ? 'on' : 'off'}`;
  const modules = (environment.live ?? []).map((m) => `  ${m.module}  ${m.endpoint ?? '(no endpoint)'}  ${m.replicas.filter((r) => r.ready).length}/${m.replicas.length} ready  ${m.version ?? ''}`.trimEnd());
  return [head, ...(modules.length ? modules : ['  nothing runs here'])].join('\n');
}

function registerEnvironment(program: Command): void {
  const env = program.command('env').description('Environments of a project: list, show (where each service answers), stop (runtime feature)');
  const feature = 'Environments';
  env
    .command('list')
    .description('List the project’s environments with their bindings and desired state (GET …/environments)')
    .action(async (_options, command: Command) => {
      const ctx = contextOf(command);
      ctx.print(await ctx.client.request<{ items: EnvironmentAnswer[] }>('GET', ctx.projectPath('environments'), { feature }), { human: (answer) => answer.items.map((e) => environmentText(e).split('\n')[0]).join('\n') });
    });
  env
    .command('show')
    .description('Show an environment: desired state and live replicas, where each service answers (GET …/environments/{env})')
    .argument('<environment>', 'dev, staging or production')
    .action(async (environment: string, _options, command: Command) => {
      const ctx = contextOf(command);
      ctx.print(await ctx.client.request<EnvironmentAnswer>('GET', ctx.projectPath(`environments/${seg(environment)}`), { feature }), { human: environmentText });
    });
  env
    .command('stop')
    .description('Stop every service of an environment; it stays stopped (no self-heal) until the next release (POST …/environments/{env}/stop)')
    .argument('<environment>', 'dev, staging or production')
    .action(async (environment: string, _options, command: Command) => {
      const ctx = contextOf(command);
      ctx.print(await ctx.client.request<{ stopped: number }>('POST', ctx.projectPath(`environments/${seg(environment)}/stop`), { feature }), { human: (answer) => `Stopped ${answer.stopped} replicas of ${environment}; it stays stopped until the next release.` });
    });
}

function registerDrift(program: Command): void {
  const drift = program.command('drift').description('Drift between desired and running environments: list, scan (runtime feature)');
  drift
    .command('list')
    .description('List drift findings of the project (GET …/drift)')
    .option('--environment <env>', 'only one environment')
    .option('--status <status>', 'open or resolved')
    .action(async (options: { environment?: string; status?: string }, command: Command) => {
      const ctx = contextOf(command);
      ctx.print(await ctx.client.request('GET', ctx.projectPath('drift'), { query: { environment: options.environment, status: options.status }, feature: 'Drift findings' }));
    });
  drift
    .command('scan')
    .description('Scan an environment for drift now (POST …/environments/{env}/drift-scans); open findings start a remediation')
    .requiredOption('--environment <env>', 'the environment to scan')
    .action(async (options: { environment: string }, command: Command) => {
      const ctx = contextOf(command);
      ctx.print(await ctx.client.request('POST', ctx.projectPath(`environments/${seg(options.environment)}/drift-scans`), { feature: 'Drift scans' }));
    });
}

export function registerDeliveryCommands(program: Command): void {
  registerRepo(program);
  registerRelease(program);
  registerDrift(program);
  registerEnvironment(program);
}
