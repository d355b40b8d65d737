import type { Command } from 'commander';
import { readBlueprintFile, withSource } from '../blueprintFile';
import { seg } from '../client';
import { contextOf } from '../context';
import { UsageError } from '../errors';

interface ModuleSummary {
  name: string;
  kind: string;
  dependsOn: string[];
}

interface VersionSummary {
  version: number;
  name: string;
  contentHash: string;
  modules: ModuleSummary[];
  submittedAt: string;
  submittedBy: string;
}

interface ValidationReport {
  valid: true;
  name: string;
  contentHash: string;
  modules: ModuleSummary[];
  existingVersion?: number;
}

const modulesText = (modules: ModuleSummary[]) =>
  modules.map((m) => `  ${m.name} (${m.kind})${m.dependsOn.length ? ` → ${m.dependsOn.join(', ')}` : ''}`).join('\n');

const versionNumber = (value: string, name: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a version number (1, 2, …), got '${value}'.`);
  return n;
};

export function registerBlueprintCommands(program: Command): void {
  const blueprint = program.command('blueprint').description('Blueprints of a project: validate, submit, list, show, diff');

  blueprint
    .command('validate')
    .description('Check a blueprint file on the server without storing it; problems show file:line:column and path')
    .argument('<file>', 'blueprint YAML or JSON file (- for stdin)')
    .addHelpText('after', '\nExample:\n  factory blueprint validate blueprint.yaml -p vetclinic')
    .action(async (file: string, _options, command: Command) => {
      const ctx = contextOf(command);
      const source = readBlueprintFile(file);
      const report = await withSource(source, () =>
        ctx.client.request<ValidationReport>('POST', ctx.projectPath('blueprints/validate'), { body: source.text, contentType: source.contentType, feature: 'Blueprint validation' }),
      );
      ctx.print(report, { human: (r) => `${source.name}: valid blueprint '${r.name}'${r.existingVersion ? ` (same content as version ${r.existingVersion})` : ''}\n${modulesText(r.modules)}` });
    });

  blueprint
    .command('submit')
    .description('Submit a blueprint file; a valid one becomes the project’s next immutable version')
    .argument('<file>', 'blueprint YAML or JSON file (- for stdin)')
    .addHelpText('after', '\nExample:\n  factory blueprint submit shared/blueprints/examples/vetclinic.yaml -p vetclinic')
    .action(async (file: string, _options, command: Command) => {
      const ctx = contextOf(command);
      const source = readBlueprintFile(file);
      const version = await withSource(source, () => ctx.client.request<VersionSummary>('POST', ctx.projectPath('blueprints'), { body: source.text, contentType: source.contentType }));
      ctx.print(version, { human: (v) => `Version ${v.version} of '${v.name}' (${v.contentHash.slice(0, 12)})\n${modulesText(v.modules)}` });
    });

  blueprint
    .command('list')
    .description('List the project’s blueprint versions, newest first')
    .action(async (_options, command: Command) => {
      const ctx = contextOf(command);
      const page = await ctx.client.get<{ items: VersionSummary[] }>(ctx.projectPath('blueprints'), { query: { limit: 1000 } });
      ctx.print(page, {
        columns: [
          ['version', (v: VersionSummary) => v.version],
          ['name', (v: VersionSummary) => v.name],
          ['modules', (v: VersionSummary) => v.modules.map((m) => m.name)],
          ['submitted', (v: VersionSummary) => v.submittedAt],
          ['by', (v: VersionSummary) => v.submittedBy],
        ],
      });
    });

  blueprint
    .command('show')
    .description('Show a blueprint version (human output: the blueprint as YAML)')
    .argument('<version>', 'version number')
    .action(async (version: string, _options, command: Command) => {
      const ctx = contextOf(command);
      const path = ctx.projectPath(`blueprints/${seg(versionNumber(version, 'version'))}`);
      if (ctx.human) {
        const yaml = await ctx.client.request<{ bytes: Buffer }>('GET', path, { query: { format: 'yaml' }, binary: true });
        process.stdout.write(yaml.bytes.toString('utf8'));
        return;
      }
      ctx.print(await ctx.client.get(path));
    });

  blueprint
    .command('diff')
    .description('Compare two versions: modules added, removed, changed, and the modules to regenerate')
    .argument('<from>', 'older version')
    .argument('<to>', 'newer version')
    .addHelpText('after', '\nExample:\n  factory blueprint diff 1 2')
    .action(async (from: string, to: string, _options, command: Command) => {
      const ctx = contextOf(command);
      const diff = await ctx.client.get<{ from: number; to: number; changed: boolean; touchedModules: string[]; diff: { modules: { added: string[]; removed: string[]; changed: { name: string }[] } } }>(
        ctx.projectPath('blueprints/diff'),
        { query: { from: versionNumber(from, 'from'), to: versionNumber(to, 'to') } },
      );
      ctx.print(diff, {
        human: (d) =>
          [
            `v${d.from} → v${d.to}: ${d.changed ? 'changed' : 'no change'}`,
            ...d.diff.modules.added.map((m) => `  + ${m}`),
            ...d.diff.modules.removed.map((m) => `  - ${m}`),
            ...d.diff.modules.changed.map((m) => `  ~ ${m.name}: ${JSON.stringify({ ...m, name: undefined })}`),
            `touched modules: ${d.touchedModules.join(', ') || '(none)'}`,
          ].join('\n'),
      });
    });
}
