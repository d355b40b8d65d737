import type { Command } from 'commander';
import { seg } from '../client';
import { contextOf } from '../context';
import { askFor } from '../prompt';

interface Project {
  projectId: string;
  name: string;
  [field: string]: unknown;
}

export function registerProjectCommands(program: Command): void {
  const project = program.command('project').description('Projects of the tenant: create, list, show');

  project
    .command('create')
    .description('Create a project (TenantAdmin, Architect)')
    .argument('<projectId>', 'project id (lower-case letters, digits, dashes)')
    .option('--name <name>', 'display name')
    .option('--description <text>', 'description')
    .addHelpText('after', '\nExample:\n  factory project create vetclinic --name "Vet clinic"')
    .action(async (projectId: string, options: { name?: string; description?: string }, command: Command) => {
      const ctx = contextOf(command);
      const name = options.name ?? (await askFor('--name', 'Project name'));
      const created = await ctx.client.post<Project>(ctx.tenantPath('projects'), { projectId, name, ...(options.description ? { description: options.description } : {}) });
      ctx.print(created, { human: (p) => `Created project ${p.projectId} (${p.name})` });
    });

  project
    .command('list')
    .description('List the tenant’s projects')
    .action(async (_options, command: Command) => {
      const ctx = contextOf(command);
      const page = await ctx.client.get<{ items: Project[] }>(ctx.tenantPath('projects'), { query: { limit: 1000 } });
      ctx.print(page, { columns: [['project', (p: Project) => p.projectId], ['name', (p: Project) => p.name], ['created', (p: Project) => p.createdAt]] });
    });

  project
    .command('show')
    .description('Show a project with the modules of its latest blueprint')
    .argument('[projectId]', 'project id (default: --project or the profile’s)')
    .action(async (projectId: string | undefined, _options, command: Command) => {
      const ctx = contextOf(command);
      ctx.print(await ctx.client.get<Project>(ctx.tenantPath(`projects/${seg(ctx.project(projectId))}`)));
    });
}
