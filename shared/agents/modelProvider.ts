import type { SkillInput, SkillResult } from '../skills/types';
import type { ModelPolicy, ModelProviderName } from './schemas';

/** One skill to run for an agent under its model policy. */
export interface ModelRequest {
  /** The skill's name (`GenerateService`) or its address (`backend-developer/GenerateService`). */
  skill: string;
  agentId: string;
  input: SkillInput;
  policy: ModelPolicy;
}

/**
 * What a run cost. `durationMs` is the only non-deterministic field: it is metered, never written
 * into artifacts.
 */
export interface ModelUsage {
  provider: ModelProviderName;
  /** The model that answered (`builtin` for the deterministic skills). */
  model: string;
  tokensIn: number;
  tokensOut: number;
  durationMs: number;
}

/** A model attempt that failed before the run fell back to the builtin skill; its tokens were still spent. */
export interface ModelFallback {
  from: ModelProviderName;
  code: ModelFailureCode;
  reason: string;
  model: string;
  tokensIn: number;
  tokensOut: number;
}

export interface ModelRun {
  result: SkillResult;
  /** The provider whose result this is (after a fallback: `builtin`). */
  usage: ModelUsage;
  /** Present when the policy's provider failed and the builtin skill produced the result. */
  fallback?: ModelFallback;
}

/** The model provider port (SPEC §4 Models): runs one skill for an agent and reports usage. */
export interface ModelProvider {
  readonly name: ModelProviderName;
  run(request: ModelRequest): Promise<ModelRun>;
}

export type ModelFailureCode = 'UnknownSkill' | 'ModelUnavailable' | 'ModelOutputInvalid' | 'ModelTimeout' | 'ModelRequestFailed';

/** A provider could not produce a result; `usage` holds tokens already spent on model calls. */
export class ModelProviderError extends Error {
  readonly code: ModelFailureCode;
  readonly provider: ModelProviderName;
  readonly skill: string;
  readonly usage?: Omit<ModelUsage, 'durationMs'>;

  constructor(code: ModelFailureCode, provider: ModelProviderName, skill: string, message: string, options: { usage?: Omit<ModelUsage, 'durationMs'>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ModelProviderError';
    this.code = code;
    this.provider = provider;
    this.skill = skill;
    this.usage = options.usage;
  }
}

/** `backend-developer/GenerateService` → `GenerateService`. */
export function toSkillName(skill: string): string {
  return skill.slice(skill.lastIndexOf('/') + 1);
}

/** Milliseconds since `start` (a `performance.now()` reading), whole. */
export function elapsedMs(start: number): number {
  return Math.round(performance.now() - start);
}
