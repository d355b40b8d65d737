import type { Command } from 'commander';
import { seg } from '../client';
import { contextOf } from '../context';
import { UsageError } from '../errors';
import { confirm } from '../prompt';

interface ApiKey {
  keyId: string;
  name: string;
  roles: string[];
  secret?: string;
  [field: string]: unknown;
}

const ROLES = ['TenantAdmin', 'Architect', 'Developer', 'ReleaseManager', 'Approver', 'Viewer', 'Agent'];

export function registerKeyCommands(program: Command): void {
  const key = program.command('key').description('API keys of the tenant: create, list, revoke (TenantAdmin)');

  key
    .command('create')
    .description('Create an API key; its secret is printed once (stdout), keep it')
    .requiredOption('--name <name>', 'who or what uses the key')
    .requiredOption('--roles <roles>', `comma-separated roles: ${ROLES.join(', ')}`)
    .option('--expires-at <iso>', 'expiry, ISO 8601 date-time')
    .addHelpText('after', '\nExample:\n  factory key create --name ci --roles Architect,Developer -o json')
    .action(async (options: { name: string; roles: string; expiresAt?: string }, command: Command) => {
      const ctx = contextOf(command);
      const roles = options.roles.split(',').map((r) => r.trim()).filter(Boolean);
      if (roles.length === 0) throw new UsageError('--roles needs at least one role.');
      const created = await ctx.client.post<ApiKey>(ctx.tenantPath('keys'), { name: options.name, roles, ...(options.expiresAt ? { expiresAt: options.expiresAt } : {}) });
      ctx.print(created, { human: (k) => `${k.secret}` });
      if (ctx.human) ctx.note(`Created key ${created.keyId} (${created.roles.join(', ')}); the secret above is shown this once.`);
    });

  key
    .command('list')
    .description('List the tenant’s API keys (never their secrets)')
    .action(async (_options, command: Command) => {
      const ctx = contextOf(command);
      const page = await ctx.client.get<{ items: ApiKey[] }>(ctx.tenantPath('keys'), { query: { limit: 1000 } });
      ctx.print(page, {
        columns: [
          ['key', (k: ApiKey) => k.keyId],
          ['name', (k: ApiKey) => k.name],
          ['roles', (k: ApiKey) => k.roles],
          ['created', (k: ApiKey) => k.createdAt],
          ['expires', (k: ApiKey) => k.expiresAt],
          ['revoked', (k: ApiKey) => k.revokedAt],
        ],
      });
    });

  key
    .command('revoke')
    .description('Revoke an API key: it fails authentication from now on')
    .argument('<keyId>', 'the key id (from `factory key list`)')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (keyId: string, options: { yes?: boolean }, command: Command) => {
      const ctx = contextOf(command);
      await confirm(`Revoke key ${keyId}?`, options.yes);
      await ctx.client.request('DELETE', ctx.tenantPath(`keys/${seg(keyId)}`));
      ctx.print({ keyId, revoked: true }, { human: () => `Revoked ${keyId}` });
    });
}
