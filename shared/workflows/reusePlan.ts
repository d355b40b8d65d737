import type { StepDocument } from './schemas';

/**
 * What a retried ProjectBootstrap takes over from the failed run instead of running again: the
 * artifacts of each agent step that succeeded (by timeline step name, e.g. `DesignArchitecture`,
 * `BookingService/EmitOpenApiContract`), whether the architecture was approved, and per module the
 * service and tests of a validation loop that passed.
 */
export interface ReusePlan {
  steps: Record<string, string[]>;
  approved: boolean;
  validated: Record<string, { service: string[]; tests: string[] }>;
}

/** Steps after a module's validation loop: one of them started means the loop passed. */
const AFTER_VALIDATION = ['GenerateBicep', 'CreateK8sManifests', 'GeneratePipeline'];
const LOOP_STEP = /^(.+)\/(GenerateService|GenerateTests|ValidateService)(?:#(\d+))?$/;

/** The plan from a failed run's timeline: only succeeded steps with artifacts are reused. */
export function toReusePlan(steps: readonly StepDocument[]): ReusePlan {
  const plan: ReusePlan = { steps: {}, approved: false, validated: {} };
  const loops = new Map<string, { round: number; service?: string[]; tests?: string[] }>();
  const started = new Set(steps.map((s) => s.step));
  for (const step of steps) {
    if (step.status !== 'succeeded') continue;
    if (step.step === 'ArchitectureApproval') plan.approved = true;
    const loop = LOOP_STEP.exec(step.step);
    if (loop) {
      const [, module, skill, round] = loop;
      const n = Number(round ?? 1);
      const current = loops.get(module) ?? { round: 0 };
      if (n < current.round) continue;
      const next = n > current.round ? { round: n } : current;
      if (skill === 'GenerateService') Object.assign(next, { service: step.artifacts });
      if (skill === 'GenerateTests') Object.assign(next, { tests: step.artifacts });
      loops.set(module, next);
      continue;
    }
    if (step.artifacts.length > 0 && step.skill) plan.steps[step.step] = [...step.artifacts];
  }
  for (const [module, loop] of loops) {
    if (loop.service && loop.tests && AFTER_VALIDATION.some((skill) => started.has(`${module}/${skill}`))) plan.validated[module] = { service: loop.service, tests: loop.tests };
  }
  return plan;
}

/** Step names reused, for the retry's event and response. */
export function reusedStepNames(plan: ReusePlan): string[] {
  return [...Object.keys(plan.steps), ...(plan.approved ? ['ArchitectureApproval'] : []), ...Object.keys(plan.validated).map((m) => `${m}/validation`)].sort();
}
