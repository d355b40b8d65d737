import type { Command } from 'commander';
import { FactoryClient, seg } from '../client';
import { configPath, readConfig, tenantOfKey, writeConfig, type Profile } from '../config';
import { contextOf, type GlobalOptions } from '../context';
import { toOutputOptions, render } from '../output';
import { askFor } from '../prompt';

interface Me {
  id: string;
  tenantId: string | null;
  roles: string[];
  kind: string;
  name?: string;
}

export function registerLoginCommands(program: Command): void {
  program
    .command('login')
    .description('Check a factory URL and API key, and save them as a profile (default: "default") in the config file (mode 0600)')
    .addHelpText('after', '\nExamples:\n  factory login --url http://localhost:7071 --key "$FACTORY_KEY"\n  factory login --profile prod --url https://factory.example.com --key sf_acme.… --project vetclinic')
    .action(async (_options, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      const url = options.url ?? process.env.FACTORY_URL ?? (await askFor('--url', 'Factory URL (e.g. http://localhost:7071)'));
      const key = options.key ?? process.env.FACTORY_KEY ?? (await askFor('--key', 'API key', { secret: true }));
      const tenant = options.tenant ?? process.env.FACTORY_TENANT ?? tenantOfKey(key);
      const client = new FactoryClient(url, key);
      // Any authenticated principal may list the agents: proves the URL and the key before saving them.
      await client.get('agents');
      const me = tenant ? await client.get<Me>(`tenants/${seg(tenant)}/me`) : undefined;
      const config = readConfig();
      const name = options.profile ?? process.env.FACTORY_PROFILE ?? config.current ?? 'default';
      const profile: Profile = { url, key, ...(tenant ? { tenant } : {}), ...((options.project ?? process.env.FACTORY_PROJECT) ? { project: options.project ?? process.env.FACTORY_PROJECT } : {}) };
      writeConfig({ current: name, profiles: { ...config.profiles, [name]: profile } });
      const summary = { profile: name, url, tenant: tenant ?? null, project: profile.project ?? null, principal: me?.id ?? null, roles: me?.roles ?? null, config: configPath() };
      process.stdout.write(render(summary, toOutputOptions(options.output, options.json), { human: (s) => `Logged in to ${s.url} as ${s.principal ?? 'a platform principal'}${s.tenant ? ` (tenant ${s.tenant})` : ''}; profile '${s.profile}' saved in ${s.config}` }));
    });

  program
    .command('logout')
    .description('Remove a profile (default: the current one) from the config file')
    .action((_options, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      const config = readConfig();
      const name = options.profile ?? config.current ?? 'default';
      const { [name]: _removed, ...rest } = config.profiles;
      writeConfig({ current: config.current === name ? undefined : config.current, profiles: rest });
      process.stderr.write(`Profile '${name}' removed.\n`);
    });

  program
    .command('whoami')
    .description('Show the principal behind the API key: id, tenant, roles')
    .action(async (_options, command: Command) => {
      const ctx = contextOf(command);
      const me = await ctx.client.get<Me>(ctx.tenantPath('me'));
      ctx.print({ ...me, url: ctx.client.baseUrl, profile: ctx.profileName }, { human: (m) => `${m.id}${m.name ? ` (${m.name})` : ''}\ntenant: ${m.tenantId ?? `(platform) using ${ctx.tenant()}`}\nroles:  ${m.roles.join(', ')}\nurl:    ${m.url}\nprofile: ${m.profile}` });
    });
}
