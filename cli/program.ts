import { Command, Option } from 'commander';
import { registerApprovalCommands } from './commands/approval';
import { registerArtifactCommands } from './commands/artifact';
import { registerAuditCommands } from './commands/audit';
import { registerBlueprintCommands } from './commands/blueprint';
import { registerDeliveryCommands } from './commands/delivery';
import { registerKeyCommands } from './commands/key';
import { registerLoginCommands } from './commands/login';
import { registerMcpCommand } from './commands/mcp';
import { registerProjectCommands } from './commands/project';
import { registerTenantCommands } from './commands/tenant';
import { registerUsageCommand } from './commands/usage';
import { registerWorkflowCommands } from './commands/workflow';
import { OUTPUT_FORMATS } from './output';

const EXIT_CODES_HELP = `
Exit codes:
  0  success (with --wait: the workflow completed)
  1  failure: an API error, or the workflow failed or was rejected
  2  usage error: a bad or missing flag, or no terminal to prompt on
  3  the workflow is waiting for an approval (--wait, watch)
  4  the workflow was cancelled (--wait, watch)

Environment:
  FACTORY_URL, FACTORY_KEY, FACTORY_TENANT, FACTORY_PROJECT, FACTORY_PROFILE  override the profile
  XDG_CONFIG_HOME   profiles live in $XDG_CONFIG_HOME/factory/config.json (mode 0600)
  NO_COLOR          no colors (there are none when the output is not a terminal either)
`;

/** The `factory` program: nouns then verbs, like gh and the Temporal CLI. */
export function buildProgram(): Command {
  const program = new Command('factory')
    .description('Drive the Software Factory from a terminal, a script or a coding agent (`factory mcp`).')
    .version((require('../../package.json') as { version: string }).version, '-V, --version', 'print the CLI version')
    .addOption(new Option('--profile <name>', 'profile of the config file to use').env('FACTORY_PROFILE'))
    .option('--url <url>', 'factory base URL, e.g. http://localhost:7071 (overrides the profile)')
    .option('--key <key>', 'API key (overrides the profile; prefer FACTORY_KEY to keep it out of shell history)')
    .option('-t, --tenant <id>', 'tenant (default: the profile’s, or the key’s own tenant)')
    .option('-p, --project <id>', 'project (default: the profile’s)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS as string[]).default('human'))
    .option('--json [fields]', 'JSON output, optionally only these comma-separated fields')
    .addHelpText('after', EXIT_CODES_HELP)
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) });

  registerLoginCommands(program);
  registerTenantCommands(program);
  registerKeyCommands(program);
  registerProjectCommands(program);
  registerBlueprintCommands(program);
  registerWorkflowCommands(program);
  registerApprovalCommands(program);
  registerArtifactCommands(program);
  registerUsageCommand(program);
  registerAuditCommands(program);
  registerDeliveryCommands(program);
  registerMcpCommand(program);
  for (const command of program.commands) inheritBehaviour(command);
  return program;
}

/** Sub-commands also throw (not exit) on usage errors, so `run` maps them to exit code 2. */
function inheritBehaviour(command: Command): void {
  command.exitOverride().showHelpAfterError('(run with --help for usage)').configureHelp({ showGlobalOptions: true });
  for (const sub of command.commands) inheritBehaviour(sub);
}
