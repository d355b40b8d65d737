import type { Command } from 'commander';
import { contextOf } from '../context';

export function registerMcpCommand(program: Command): void {
  program
    .command('mcp')
    .description('Serve the factory to a coding agent over the Model Context Protocol (stdio), with the profile’s key')
    .addHelpText(
      'after',
      '\nTools: validate_blueprint, submit_blueprint, start_workflow, watch_workflow, list_approvals, decide_approval,\n' +
        'list_artifacts, read_artifact, pull_module, usage. Resources: factory://artifacts/{projectId}/{artifactId}.\n' +
        'Example agent config: { "command": "factory", "args": ["mcp", "--profile", "default"] }',
    )
    .action(async (_options, command: Command) => {
      const ctx = contextOf(command);
      // The MCP SDK is loaded only here: it is large, and every other command starts without it.
      const { serveMcp } = require('../mcp/server') as typeof import('../mcp/server');
      await serveMcp(ctx);
    });
}
