import type { Command } from 'commander';
import { FactoryClient, seg } from './client';
import { readConfig, tenantOfKey, type Profile } from './config';
import { UsageError } from './errors';
import { render, toOutputOptions, type OutputOptions, type View } from './output';

/** The options every command accepts (set on the program, read with `optsWithGlobals`). */
export interface GlobalOptions {
  profile?: string;
  url?: string;
  key?: string;
  tenant?: string;
  project?: string;
  output?: string;
  json?: string | boolean;
}

/** Everything a command needs: the API client, the resolved tenant/project, and output. */
export class CommandContext {
  constructor(
    readonly client: FactoryClient,
    readonly profileName: string,
    readonly profile: Profile,
    readonly output: OutputOptions,
  ) {}

  /** The tenant (`--tenant`, `FACTORY_TENANT`, the profile's, or the key's own); a usage error when none. */
  tenant(): string {
    if (!this.profile.tenant) throw new UsageError('No tenant: pass --tenant <id> (or set FACTORY_TENANT, or `factory login --tenant`).');
    return this.profile.tenant;
  }

  project(explicit?: string): string {
    const project = explicit ?? this.profile.project;
    if (!project) throw new UsageError('No project: pass --project <id> (or set FACTORY_PROJECT, or `factory login --project`).');
    return project;
  }

  /** `tenants/{t}/` + rest. */
  tenantPath(rest = ''): string {
    return `tenants/${seg(this.tenant())}${rest ? `/${rest}` : ''}`;
  }

  /** `tenants/{t}/projects/{p}/` + rest. */
  projectPath(rest = '', project?: string): string {
    return this.tenantPath(`projects/${seg(this.project(project))}${rest ? `/${rest}` : ''}`);
  }

  /** Writes data to stdout in the chosen format. */
  print<T>(data: T, view?: View<T>): void {
    process.stdout.write(render(data, this.output, view));
  }

  /** Progress and notes go to stderr, never into the data. */
  note(message: string): void {
    process.stderr.write(`${message}\n`);
  }

  get human(): boolean {
    return this.output.format === 'human';
  }
}

/** Resolves flags over environment over the profile (`--profile`, `FACTORY_PROFILE`, the current one). */
export function resolveProfile(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): { name: string; profile: Partial<Profile> } {
  const config = readConfig();
  const name = options.profile ?? env.FACTORY_PROFILE ?? config.current ?? 'default';
  const stored: Partial<Profile> = config.profiles[name] ?? {};
  if (options.profile && !config.profiles[name] && !(options.url ?? env.FACTORY_URL)) {
    throw new UsageError(`No profile '${name}': run \`factory login --profile ${name} --url <url> --key <key>\`.`);
  }
  const key = options.key ?? env.FACTORY_KEY ?? stored.key;
  const tenant = options.tenant ?? env.FACTORY_TENANT ?? stored.tenant ?? (key ? tenantOfKey(key) : undefined);
  return {
    name,
    profile: { url: options.url ?? env.FACTORY_URL ?? stored.url, key, tenant, project: options.project ?? env.FACTORY_PROJECT ?? stored.project },
  };
}

/** The context of a command: its merged options, an authenticated client. */
export function contextOf(command: Command): CommandContext {
  const options = command.optsWithGlobals<GlobalOptions>();
  const { name, profile } = resolveProfile(options);
  if (!profile.url) throw new UsageError('Not logged in: run `factory login --url <url> --key <key>` (or pass --url, or set FACTORY_URL).');
  if (!profile.key) throw new UsageError('No API key: run `factory login --key <key>` (or pass --key, or set FACTORY_KEY).');
  return new CommandContext(new FactoryClient(profile.url, profile.key), name, profile as Profile, toOutputOptions(options.output, options.json));
}
