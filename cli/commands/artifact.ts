import type { Command } from 'commander';
import { listAllArtifacts, pullArtifacts, type Artifact } from '../artifactPull';
import { seg, type BinaryAnswer } from '../client';
import { contextOf } from '../context';

export function registerArtifactCommands(program: Command): void {
  const artifact = program.command('artifact').description('Artifacts of a project: list, show, pull into a folder');

  artifact
    .command('list')
    .description('List the project’s artifacts, oldest first')
    .option('--workflow <id>', 'only those a workflow produced')
    .option('--module <name>', 'only a module’s')
    .option('--kind <kind>', 'only one kind (e.g. openapi, service-code, tests, bicep)')
    .action(async (options: { workflow?: string; module?: string; kind?: string }, command: Command) => {
      const ctx = contextOf(command);
      const items = await listAllArtifacts(ctx.client, ctx.projectPath(), { workflowId: options.workflow, module: options.module, kind: options.kind });
      ctx.print({ items }, {
        columns: [
          ['artifact', (a: Artifact) => a.id],
          ['module', (a: Artifact) => a.module],
          ['kind', (a: Artifact) => a.kind],
          ['name', (a: Artifact) => a.name],
          ['v', (a: Artifact) => a.version],
          ['bytes', (a: Artifact) => a.size],
          ['validation', (a: Artifact) => a.validation?.status],
        ],
      });
    });

  artifact
    .command('show')
    .description('Show an artifact’s metadata, or with --content its content (raw, to stdout)')
    .argument('<artifactId>', 'artifact id')
    .option('--content', 'write the content itself')
    .action(async (artifactId: string, options: { content?: boolean }, command: Command) => {
      const ctx = contextOf(command);
      const path = ctx.projectPath(`artifacts/${seg(artifactId)}`);
      if (options.content) {
        process.stdout.write((await ctx.client.request<BinaryAnswer>('GET', `${path}/content`, { binary: true })).bytes);
        return;
      }
      ctx.print(await ctx.client.get<Artifact>(path));
    });

  artifact
    .command('pull')
    .description('Write a workflow’s or a module’s files into a folder, at their paths in the project repository')
    .option('--workflow <id>', 'the files a workflow produced')
    .option('--module <name>', 'a module’s files (newest version of each)')
    .option('--dir <folder>', 'target folder', '.')
    .addHelpText('after', '\nExamples:\n  factory artifact pull --workflow wf-… --dir ./vetclinic\n  factory artifact pull --module BookingService --dir ./vetclinic')
    .action(async (options: { workflow?: string; module?: string; dir: string }, command: Command) => {
      const ctx = contextOf(command);
      const files = await pullArtifacts(ctx.client, ctx.projectPath(), { workflowId: options.workflow, module: options.module }, options.dir);
      ctx.print({ items: files }, { human: (f) => `${f.items.map((x) => x.path).join('\n')}\n${f.items.length} files written under ${options.dir}` });
    });
}
