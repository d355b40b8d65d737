import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { FactoryApp, startFactoryApp } from '../support/factoryApp';
import { setupProject, setupTenant, startBootstrap, TenantSetup } from '../support/factoryScenario';
import { cleanEnv, CliUser, factoryBin } from './cliProcess';

const run = promisify(execFile);
const CURSOR_UP = '\u001b[1A';

/**
 * `factory workflow watch` in a pseudo-terminal (util-linux `script`, sized with stty): the live
 * task list redraws in place and ends when the workflow waits for its approval.
 */
describe('factory in a terminal: live watch, prompts', () => {
  let app: FactoryApp;
  let tenant: TenantSetup;
  beforeAll(async () => {
    app = await startFactoryApp();
    tenant = await setupTenant(app, 'cli-watch');
    await setupProject(app, tenant, 'petstore');
  });
  afterAll(() => app?.stop());

  /** Runs the command in a pty; resolves with everything the terminal showed and the exit code. */
  async function inTerminal(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; screen: string }> {
    const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pty-')), 'typescript');
    const command = `stty cols 120 rows 40; exec ${[process.execPath, factoryBin, ...args].map((a) => `'${a}'`).join(' ')}`;
    let code = 0;
    try {
      await run('script', ['-qfec', command, log], { env: { ...cleanEnv(), ...env }, timeout: 240000 });
    } catch (error) {
      code = (error as { code?: number }).code ?? -1;
    }
    return { code, screen: fs.readFileSync(log, 'utf8') };
  }

  it('shows the steps live and ends at the approval with exit code 3', async () => {
    const workflowId = await startBootstrap(app, tenant, 'petstore');
    const env = { FACTORY_URL: app.host.origin, FACTORY_KEY: tenant.keys.viewer, FACTORY_PROJECT: 'petstore', XDG_CONFIG_HOME: new CliUser().configHome };
    const { code, screen } = await inTerminal(['workflow', 'watch', workflowId, '--interval', '200'], env);
    expect(code).toBe(3);
    expect(screen).toContain(`ProjectBootstrap ${workflowId}: Running`);
    expect(screen).toMatch(/✔\S* DraftVisionDocument\s+\S*vision-architect-\d/);
    expect(screen).toMatch(/ArchitectureApproval\s+\S*waiting for approval/);
    expect(screen).toContain(CURSOR_UP);
    // A Viewer may list approvals, so the watch names the one to decide.
    expect(screen).toContain(`factory approval approve ${workflowId}-ArchitectureApproval`);
  }, 300000);

  it('without colors when NO_COLOR is set, still live', async () => {
    const workflowId = await startBootstrap(app, tenant, 'petstore');
    const env = { FACTORY_URL: app.host.origin, FACTORY_KEY: tenant.keys.viewer, FACTORY_PROJECT: 'petstore', XDG_CONFIG_HOME: new CliUser().configHome, NO_COLOR: '1' };
    const { code, screen } = await inTerminal(['workflow', 'watch', workflowId, '--interval', '200'], env);
    expect(code).toBe(3);
    expect(screen).toContain(CURSOR_UP);
    expect(screen).not.toMatch(new RegExp(`${String.fromCharCode(27)}\\[3\\dm`));
  }, 300000);

  /** Runs the command in a pty, typing each answer once its prompt shows; resolves with the screen and exit code. */
  function answering(args: string[], env: NodeJS.ProcessEnv, answers: [prompt: string, answer: string][]): Promise<{ code: number | null; screen: string }> {
    const command = `stty cols 120 rows 40; exec ${[process.execPath, factoryBin, ...args].map((a) => `'${a}'`).join(' ')}`;
    const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pty-')), 'typescript');
    return new Promise((resolve, reject) => {
      const child = spawn('script', ['-qfec', command, log], { env: { ...cleanEnv(), ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
      let pending = '';
      const queue = [...answers];
      child.stdout.on('data', (chunk: Buffer) => {
        pending += chunk.toString();
        if (queue.length && pending.includes(queue[0][0])) {
          pending = '';
          child.stdin.write(`${queue.shift()![1]}\r`);
        }
      });
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, screen: fs.readFileSync(log, 'utf8') }));
    });
  }

  it('asks for missing values on a terminal, the API key without echo', async () => {
    const env = { FACTORY_URL: app.host.origin, FACTORY_KEY: tenant.keys.admin, XDG_CONFIG_HOME: new CliUser().configHome };
    const created = await answering(['project', 'create', 'prompted'], env, [['Project name: ', 'Prompted project']]);
    expect(created.code).toBe(0);
    expect(created.screen).toContain('Created project prompted (Prompted project)');
    expect((await app.call('GET', 'tenants/cli-watch/projects/prompted', { key: tenant.keys.viewer })).body.name).toBe('Prompted project');

    const home = new CliUser().configHome;
    const login = await answering(['login'], { XDG_CONFIG_HOME: home }, [['Factory URL', app.host.origin], ['API key: ', tenant.keys.architect]]);
    expect(login.code).toBe(0);
    expect(login.screen).toContain('Logged in to');
    expect(login.screen).not.toContain(tenant.keys.architect);
    expect(JSON.parse(fs.readFileSync(path.join(home, 'factory', 'config.json'), 'utf8')).profiles.default).toMatchObject({ url: app.host.origin, key: tenant.keys.architect, tenant: 'cli-watch' });
  }, 120000);

  it('off a terminal: one plain line per step change, no cursor movement', async () => {
    const workflowId = await startBootstrap(app, tenant, 'petstore');
    const user = new CliUser({ FACTORY_URL: app.host.origin, FACTORY_KEY: tenant.keys.viewer, FACTORY_PROJECT: 'petstore' });
    const result = await user.run(['workflow', 'watch', workflowId, '--interval', '200']);
    expect(result.code).toBe(3);
    expect(result.stderr).not.toContain('\u001b[');
    expect(result.stderr).toMatch(/^✔ DraftVisionDocument\s+vision-architect-\d/m);
    expect(JSON.parse((await user.run(['workflow', 'show', workflowId, '-o', 'json'])).stdout).status).toBe('Running');
  }, 300000);
});
