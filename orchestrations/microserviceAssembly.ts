import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import type { AgentTaskOutcome, AgentTaskRequest } from './agentTask';
import { VALIDATION_LOOPS } from './policies';

export interface AssemblyRequest extends Omit<AgentTaskRequest, 'agentRole' | 'skill' | 'step' | 'feedback'> {
  module: string;
  /** A retry: artifacts of this module's steps that succeeded (by step label), and a validation loop that passed. */
  reuse?: { steps: Record<string, string[]>; validated?: { service: string[]; tests: string[] } };
}

export interface AssemblyOutcome {
  module: string;
  validated: boolean;
  artifacts: string[];
  failure?: string;
}

/**
 * MicroserviceAssembly (one module): contract → event contracts → service → tests → validation
 * (a failed validation loops back to the developer skill with the failure, at most twice) →
 * Bicep → Kubernetes manifests → pipeline.
 */
export const microserviceAssemblyOrchestration = df.app.orchestration('MicroserviceAssembly', function* (context: OrchestrationContext) {
  const request = context.df.getInput() as AssemblyRequest;
  const produced: string[] = [];
  function* agent(agentRole: string, skill: string, inputs: string[], label: string, feedback?: string): Generator<df.Task, string[], unknown> {
    const reused = request.reuse?.steps[label];
    if (reused) {
      produced.push(...reused);
      return reused;
    }
    const task: AgentTaskRequest = { ...request, agentRole, skill, inputs, feedback, step: `${request.module}/${label}` };
    // Instance ids may not hold `#` (Azure's rule), so the loop's `#2` becomes `-2` there.
    const outcome = (yield context.df.callSubOrchestrator('AgentTask', task, `${context.df.instanceId}:${label.replace('#', '-')}`)) as AgentTaskOutcome;
    if (outcome.status !== 'succeeded') throw new Error(`${request.module}: ${agentRole}/${skill} failed: ${outcome.failure}`);
    const ids = outcome.artifacts.map((a) => a.id);
    produced.push(...ids);
    lastChecks = outcome.checks;
    return ids;
  }
  let lastChecks: { name: string; ok: boolean; detail?: string }[] = [];

  const contract = yield* agent('api-designer', 'EmitOpenApiContract', request.inputs, 'EmitOpenApiContract');
  const events = yield* agent('event-driven-architect', 'DefineEventContracts', [...request.inputs, ...contract], 'DefineEventContracts');
  let service: string[] = [];
  let tests: string[] = [];
  let feedback: string | undefined;
  let validated = false;
  if (request.reuse?.validated) {
    ({ service, tests } = request.reuse.validated);
    produced.push(...service, ...tests);
    validated = true;
  }
  for (let loop = 0; loop <= VALIDATION_LOOPS && !validated; loop++) {
    const suffix = loop === 0 ? '' : `#${loop + 1}`;
    service = yield* agent('backend-developer', 'GenerateService', [...contract, ...events], `GenerateService${suffix}`, feedback);
    tests = yield* agent('qa-engineer', 'GenerateTests', [...contract, ...service], `GenerateTests${suffix}`);
    yield* agent('qa-engineer', 'ValidateService', [...service, ...tests], `ValidateService${suffix}`);
    const failures = lastChecks.filter((c) => !c.ok);
    validated = failures.length === 0;
    feedback = failures.map((c) => `${c.name}: ${c.detail ?? 'failed'}`).join('\n');
  }
  if (!validated) throw new Error(`${request.module}: the generated service failed validation ${VALIDATION_LOOPS + 1} times: ${feedback}`);
  yield* agent('cloud-provisioner', 'GenerateBicep', contract, 'GenerateBicep');
  yield* agent('infrastructure-engineer', 'CreateK8sManifests', [...contract, ...service], 'CreateK8sManifests');
  yield* agent('devops-engineer', 'GeneratePipeline', [...service, ...tests], 'GeneratePipeline');
  return { module: request.module, validated, artifacts: produced } satisfies AssemblyOutcome;
});
