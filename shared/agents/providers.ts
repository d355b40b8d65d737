import type { TokenCredential } from '@azure/identity';
import type { FactoryConfig } from '../platform/config';
import type { Skill } from '../skills/types';
import { AzureOpenAIModelProvider } from './azureOpenAIModelProvider';
import { BuiltinModelProvider, type SkillLookup } from './builtinModelProvider';
import { ModelProviderError, type ModelProvider, type ModelRequest, type ModelRun } from './modelProvider';
import type { ModelPolicy, ModelProviderName } from './schemas';

type ModelSettings = Pick<FactoryConfig, 'AZURE_OPENAI_ENDPOINT' | 'AZURE_OPENAI_DEPLOYMENT'>;

/**
 * The provider a policy runs on: the first of its `allowedProviders` that is available —
 * `azure-openai` only with an endpoint and a deployment (the policy's or the configured default),
 * `builtin` always. A policy that allows only an unavailable provider runs builtin when its fallback
 * says so; otherwise `ModelProviderError` (code `ModelUnavailable`).
 */
export function providerFor(policy: ModelPolicy, config: ModelSettings): ModelProviderName {
  const azureReady = Boolean(config.AZURE_OPENAI_ENDPOINT && (policy.deployment ?? config.AZURE_OPENAI_DEPLOYMENT));
  const chosen = policy.allowedProviders.find((provider) => provider === 'builtin' || azureReady);
  if (chosen) return chosen;
  if (policy.fallback === 'builtin') return 'builtin';
  throw new ModelProviderError('ModelUnavailable', 'azure-openai', '', 'The model policy allows only azure-openai, which is not configured (AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_DEPLOYMENT).');
}

/** The process's model providers, built once by the composition root; `run` picks one per policy. */
export interface ModelProviders {
  builtin: BuiltinModelProvider;
  /** Present when `AZURE_OPENAI_ENDPOINT` is set. */
  azureOpenAI?: AzureOpenAIModelProvider;
  /** The provider `providerFor` names for this policy. */
  forPolicy(policy: ModelPolicy): ModelProvider;
  run(request: ModelRequest): Promise<ModelRun>;
}

export interface ModelProviderDeps {
  /** The built-in skills, or a lookup over them; default: the skills registry. */
  skills?: Iterable<Skill> | SkillLookup;
  timeoutMs?: number;
  credential?: TokenCredential;
}

/** Builds the builtin provider and, when configured, the Azure OpenAI one (falling back to builtin). */
export function createModelProviders(config: FactoryConfig, deps: ModelProviderDeps = {}): ModelProviders {
  const builtin = new BuiltinModelProvider(deps.skills);
  const azureOpenAI = AzureOpenAIModelProvider.fromConfig(config, { builtin, timeoutMs: deps.timeoutMs, credential: deps.credential });
  const forPolicy = (policy: ModelPolicy): ModelProvider => (providerFor(policy, config) === 'azure-openai' && azureOpenAI ? azureOpenAI : builtin);
  return { builtin, azureOpenAI, forPolicy, run: (request) => forPolicy(request.policy).run(request) };
}
