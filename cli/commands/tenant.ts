import { Option, type Command } from 'commander';
import { seg } from '../client';
import { contextOf } from '../context';
import { ApiError } from '../errors';
import { askFor } from '../prompt';

interface Tenant {
  tenantId: string;
  name: string;
  edition: string;
  [field: string]: unknown;
}

const tenantColumns: [string, (t: never) => unknown][] = [
  ['tenant', (t: Tenant) => t.tenantId],
  ['name', (t: Tenant) => t.name],
  ['edition', (t: Tenant) => t.edition],
  ['status', (t: Tenant) => t.status],
  ['created', (t: Tenant) => t.createdAt],
];

export function registerTenantCommands(program: Command): void {
  const tenant = program.command('tenant').description('Tenants: create (PlatformAdmin), list, show');

  tenant
    .command('create')
    .description('Create a tenant (PlatformAdmin key)')
    .argument('[tenantId]', 'the tenant id (default: the slug of --name)')
    .option('--name <name>', 'display name')
    .addOption(new Option('--edition <edition>', 'edition').choices(['free', 'pro', 'enterprise']).default('pro'))
    .addHelpText('after', '\nExample:\n  factory tenant create acme --name "Acme Corp" --edition pro')
    .action(async (tenantId: string | undefined, options: { name?: string; edition: string }, command: Command) => {
      const ctx = contextOf(command);
      const name = options.name ?? (await askFor('--name', 'Tenant name'));
      const created = await ctx.client.post<Tenant>('tenants', { ...(tenantId ? { tenantId } : {}), name, edition: options.edition });
      ctx.print(created, { human: (t) => `Created tenant ${t.tenantId} (${t.name}, ${t.edition})` });
    });

  tenant
    .command('show')
    .description('Show a tenant (default: the current one) and its entitlements')
    .argument('[tenantId]', 'tenant id (default: --tenant or the profile’s)')
    .action(async (tenantId: string | undefined, _options, command: Command) => {
      const ctx = contextOf(command);
      const id = tenantId ?? ctx.tenant();
      const [view, entitlements] = await Promise.all([ctx.client.get<Tenant>(`tenants/${seg(id)}`), ctx.client.get<Record<string, unknown>>(`tenants/${seg(id)}/entitlements`)]);
      ctx.print({ ...view, entitlements });
    });

  tenant
    .command('list')
    .description('List every tenant (PlatformAdmin key); a tenant key lists its own tenant')
    .option('--limit <n>', 'tenants per request (1-1000); every page is fetched', '100')
    .action(async (options: { limit: string }, command: Command) => {
      const ctx = contextOf(command);
      let items: Tenant[];
      try {
        items = await allTenants((query) => ctx.client.get<TenantPage>('tenants', { query }), options.limit);
      } catch (error) {
        // GET /api/tenants is PlatformAdmin only: a tenant key reaches the tenant it belongs to.
        if (!(error instanceof ApiError && (error.problem.status === 403 || error.routeMissing))) throw error;
        items = [await ctx.client.get<Tenant>(`tenants/${seg(ctx.tenant())}`)];
      }
      ctx.print({ items }, { columns: tenantColumns });
    });
}

interface TenantPage {
  items: Tenant[];
  continuation?: string;
}

/** Every page of `GET /api/tenants`, following `continuation`. */
async function allTenants(get: (query: Record<string, string | undefined>) => Promise<TenantPage>, limit: string): Promise<Tenant[]> {
  const items: Tenant[] = [];
  let continuation: string | undefined;
  do {
    const page = await get({ limit, continuation });
    items.push(...page.items);
    continuation = page.continuation;
  } while (continuation);
  return items;
}
