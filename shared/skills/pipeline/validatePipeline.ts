import { parse } from 'yaml';

/** Failures of a Dockerfile: multi-stage, pinned bases (full version tag, never `latest`), non-root, HEALTHCHECK, CMD. */
export function validateDockerfile(text: string): string[] {
  const failures: string[] = [];
  const instructions = text.split('\n').filter((line) => line.trim() && !line.trimStart().startsWith('#'));
  const froms = instructions.filter((line) => /^FROM\s/i.test(line));
  if (froms.length < 2) failures.push('not multi-stage (fewer than two FROM)');
  for (const from of froms) {
    const image = from.split(/\s+/)[1] ?? '';
    if (!/:\d+\.\d+\.\d+[^\s]*$/.test(image) && !image.includes('@sha256:')) failures.push(`base image '${image}' is not pinned by a full version tag`);
    if (/:latest$/.test(image)) failures.push(`base image '${image}' uses latest`);
  }
  const lastFrom = instructions.lastIndexOf(froms[froms.length - 1]);
  const finalStage = instructions.slice(lastFrom);
  const user = finalStage.filter((line) => /^USER\s/i.test(line)).pop();
  if (!user || /^USER\s+(root|0)\b/i.test(user)) failures.push('the final stage does not run as a non-root USER');
  if (!finalStage.some((line) => /^HEALTHCHECK\s/i.test(line))) failures.push('no HEALTHCHECK');
  if (!finalStage.some((line) => /^CMD\s/i.test(line))) failures.push('no CMD');
  return failures;
}

function parseYaml(text: string): { value?: Record<string, unknown>; failure?: string } {
  try {
    const value = parse(text) as unknown;
    return value && typeof value === 'object' ? { value: value as Record<string, unknown> } : { failure: 'not a YAML mapping' };
  } catch (error) {
    return { failure: `not YAML: ${(error as Error).message}` };
  }
}

/** Failures of a GitHub Actions workflow: `on`, jobs with `runs-on` and steps, a `node --test` and a docker build step, `needs` that exist, deploy jobs gated by an environment. */
export function validateGitHubWorkflow(text: string, environments: readonly string[] = []): string[] {
  const { value, failure } = parseYaml(text);
  if (!value) return [failure!];
  const failures: string[] = [];
  if (!value.on) failures.push('no `on` triggers');
  const jobs = (value.jobs ?? {}) as Record<string, { 'runs-on'?: string; needs?: string | string[]; steps?: { run?: string; uses?: string }[]; environment?: string }>;
  if (!Object.keys(jobs).length) failures.push('no jobs');
  const runs = Object.values(jobs).flatMap((job) => (job.steps ?? []).map((step) => step.run ?? ''));
  if (!runs.some((run) => /\bnode --test\b/.test(run))) failures.push('no step runs `node --test`');
  if (!runs.some((run) => /\bdocker build\b/.test(run))) failures.push('no docker build step');
  if (!runs.some((run) => /\bdocker push\b/.test(run))) failures.push('no docker push step');
  for (const [name, job] of Object.entries(jobs)) {
    if (name.startsWith('deploy') && (job.steps ?? []).some((step) => /containerImage=\S+:\$/.test(step.run ?? ''))) failures.push(`deploy job ${name} deploys a tag, not the pushed digest`);
  }
  for (const [name, job] of Object.entries(jobs)) {
    if (!job['runs-on']) failures.push(`job ${name} has no runs-on`);
    if (!job.steps?.length) failures.push(`job ${name} has no steps`);
    for (const need of [job.needs ?? []].flat()) if (!jobs[need]) failures.push(`job ${name} needs missing job ${need}`);
    if (name.startsWith('deploy') && !job.environment) failures.push(`deploy job ${name} is not gated by an environment`);
  }
  for (const environment of environments) if (!jobs[`deploy-${environment}`]) failures.push(`no deploy job for ${environment}`);
  return failures;
}

/** Failures of an Azure Pipelines file: trigger, a Build stage with a `node --test` step, deployment stages per environment depending on the previous one. */
export function validateAzurePipeline(text: string, environments: readonly string[] = []): string[] {
  const { value, failure } = parseYaml(text);
  if (!value) return [failure!];
  const failures: string[] = [];
  if (!value.trigger) failures.push('no trigger');
  const stages = (value.stages ?? []) as { stage?: string; dependsOn?: string | string[]; jobs?: { job?: string; deployment?: string; environment?: string; steps?: { script?: string }[] }[] }[];
  const build = stages.find((stage) => stage.stage === 'Build');
  if (!build) failures.push('no Build stage');
  else if (!build.jobs?.some((job) => job.steps?.some((step) => /\bnode --test\b/.test(step.script ?? '')))) failures.push('the Build stage does not run `node --test`');
  const names = new Set(stages.map((stage) => stage.stage));
  for (const stage of stages) {
    if (!stage.stage || !stage.jobs?.length) failures.push(`a stage lacks a name or jobs`);
    for (const need of [stage.dependsOn ?? []].flat()) if (!names.has(need)) failures.push(`stage ${stage.stage} depends on missing ${need}`);
    for (const job of stage.jobs ?? []) if (job.deployment && !job.environment) failures.push(`deployment ${job.deployment} has no environment`);
  }
  for (const environment of environments) if (!names.has(`Deploy_${environment}`)) failures.push(`no Deploy_${environment} stage`);
  return failures;
}
