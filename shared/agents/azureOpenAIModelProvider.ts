import { DefaultAzureCredential, getBearerTokenProvider, type TokenCredential } from '@azure/identity';
import { APIConnectionTimeoutError, APIUserAbortError, AzureOpenAI } from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { FactoryConfig } from '../platform/config';
import { kebabCase } from '../skills/naming';
import { elapsedMs, ModelProviderError, toSkillName, type ModelProvider, type ModelRequest, type ModelRun, type ModelUsage } from './modelProvider';
import { checkModelReply, modelOutputSchema, toModelSkillResult, toResponseFormat } from './modelOutput';
import { toPromptMessages, toRetryMessage } from './modelPrompt';
import { skillBrief } from './skillBriefs';

/** Scope of the Entra ID token Azure OpenAI accepts. */
export const COGNITIVE_SERVICES_SCOPE = 'https://cognitiveservices.azure.com/.default';
/** Deadline of one skill run on the model, both attempts together. */
export const DEFAULT_MODEL_TIMEOUT_MS = 120_000;
/** A reply that fails validation is sent back once with its errors; then the run fails (or falls back). */
const ATTEMPTS = 2;

export interface AzureOpenAIModelProviderOptions {
  endpoint: string;
  apiVersion: string;
  /** Default deployment; a policy's `deployment` wins. */
  deployment?: string;
  /** Key auth for compatible test servers; without it, an Entra ID token from `credential`. */
  apiKey?: string;
  /** Default: `DefaultAzureCredential` (user-assigned identity when `managedIdentityClientId` is set). */
  credential?: TokenCredential;
  managedIdentityClientId?: string;
  timeoutMs?: number;
  /** Runs the skill when the model fails and the policy's fallback is `builtin`. */
  builtin?: ModelProvider;
}

type Spent = Omit<ModelUsage, 'durationMs'>;

/**
 * The `azure-openai` provider: asks the deployment for structured output in the shape of the skill's
 * artifacts, validates the reply with zod, sends the validation errors back once, and reports the
 * tokens of every call. When that fails — or the deadline passes — it runs the builtin skill if the
 * policy's fallback says so, and otherwise throws a `ModelProviderError`.
 */
export class AzureOpenAIModelProvider implements ModelProvider {
  readonly name = 'azure-openai' as const;
  private readonly client: AzureOpenAI;
  private readonly deployment?: string;
  private readonly timeoutMs: number;
  private readonly builtin?: ModelProvider;

  constructor(options: AzureOpenAIModelProviderOptions) {
    const auth = options.apiKey
      ? { apiKey: options.apiKey }
      : { azureADTokenProvider: getBearerTokenProvider(options.credential ?? new DefaultAzureCredential({ managedIdentityClientId: options.managedIdentityClientId }), COGNITIVE_SERVICES_SCOPE) };
    this.client = new AzureOpenAI({ endpoint: options.endpoint, apiVersion: options.apiVersion, ...auth });
    this.deployment = options.deployment;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS;
    this.builtin = options.builtin;
  }

  /** From `AZURE_OPENAI_*` settings; undefined when no endpoint is configured. */
  static fromConfig(config: FactoryConfig, options: Pick<AzureOpenAIModelProviderOptions, 'builtin' | 'timeoutMs' | 'credential'> = {}): AzureOpenAIModelProvider | undefined {
    if (!config.AZURE_OPENAI_ENDPOINT) return undefined;
    return new AzureOpenAIModelProvider({
      endpoint: config.AZURE_OPENAI_ENDPOINT,
      apiVersion: config.AZURE_OPENAI_API_VERSION,
      deployment: config.AZURE_OPENAI_DEPLOYMENT,
      apiKey: config.AZURE_OPENAI_API_KEY,
      managedIdentityClientId: config.AZURE_CLIENT_ID,
      ...options,
    });
  }

  /** After a fallback, `usage` is the builtin run's except `durationMs`, which covers the model attempts too. */
  async run(request: ModelRequest): Promise<ModelRun> {
    const started = performance.now();
    try {
      return await this.generate(request);
    } catch (error) {
      const failure = toModelProviderError(error, request.skill);
      if (request.policy.fallback !== 'builtin' || !this.builtin) throw failure;
      const run = await this.builtin.run(request);
      const spent = failure.usage ?? { model: request.policy.deployment ?? this.deployment ?? 'unknown', tokensIn: 0, tokensOut: 0 };
      return {
        result: run.result,
        usage: { ...run.usage, durationMs: elapsedMs(started) },
        fallback: { from: 'azure-openai', code: failure.code, reason: failure.message, model: spent.model, tokensIn: spent.tokensIn, tokensOut: spent.tokensOut },
      };
    }
  }

  private async generate(request: ModelRequest): Promise<ModelRun> {
    const started = performance.now();
    const skillName = toSkillName(request.skill);
    const fail = (code: ConstructorParameters<typeof ModelProviderError>[0], message: string, usage?: Spent) => new ModelProviderError(code, 'azure-openai', request.skill, message, { usage });
    const deployment = request.policy.deployment ?? this.deployment;
    if (!deployment) throw fail('ModelUnavailable', 'No Azure OpenAI deployment: set AZURE_OPENAI_DEPLOYMENT or the agent policy deployment.');
    const brief = skillBrief(skillName);
    if (!brief) throw fail('UnknownSkill', `The model has no instructions for skill '${request.skill}'.`);
    const module = brief.scope === 'module' ? request.input.blueprint.spec.modules.find((candidate) => candidate.name === request.input.module) : undefined;
    if (brief.scope === 'module' && !module) throw fail('ModelRequestFailed', `${skillName} needs input.module naming a module of the blueprint (got '${request.input.module ?? ''}').`);

    const schema = modelOutputSchema(brief, module && kebabCase(module.name));
    const messages: ChatCompletionMessageParam[] = toPromptMessages({ skillName, agentId: request.agentId, input: request.input, brief, module });
    const spent: Spent = { provider: 'azure-openai', model: deployment, tokensIn: 0, tokensOut: 0 };
    const deadline = AbortSignal.timeout(this.timeoutMs);
    let errors: string[] = [];
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const completion = await this.complete(deployment, messages, toResponseFormat(skillName, schema), request.policy.tokenCeiling, deadline, spent, fail);
      spent.model = completion.model || deployment;
      spent.tokensIn += completion.usage?.prompt_tokens ?? 0;
      spent.tokensOut += completion.usage?.completion_tokens ?? 0;
      const choice = completion.choices[0];
      const verdict = checkModelReply({ content: choice?.message.content ?? null, refusal: choice?.message.refusal, finishReason: choice?.finish_reason }, schema);
      if (verdict.ok) return { result: toModelSkillResult(skillName, verdict.output, request.input), usage: { ...spent, durationMs: elapsedMs(started) } };
      errors = verdict.errors;
      messages.push({ role: 'assistant', content: choice?.message.content ?? '' }, { role: 'user', content: toRetryMessage(errors) });
    }
    throw fail('ModelOutputInvalid', `azure-openai gave no valid output for ${skillName} in ${ATTEMPTS} attempts: ${errors.join('; ')}`, { ...spent });
  }

  private async complete(
    deployment: string,
    messages: ChatCompletionMessageParam[],
    responseFormat: ReturnType<typeof toResponseFormat>,
    tokenCeiling: number,
    deadline: AbortSignal,
    spent: Spent,
    fail: (code: 'ModelTimeout' | 'ModelRequestFailed', message: string, usage?: Spent) => ModelProviderError,
  ) {
    try {
      return await this.client.chat.completions.create(
        { model: deployment, messages: [...messages], response_format: responseFormat, max_tokens: tokenCeiling, temperature: 0 },
        { signal: deadline, timeout: this.timeoutMs },
      );
    } catch (error) {
      if (deadline.aborted || error instanceof APIConnectionTimeoutError || error instanceof APIUserAbortError) {
        throw fail('ModelTimeout', `azure-openai did not answer ${deployment} within ${this.timeoutMs} ms.`, { ...spent });
      }
      throw fail('ModelRequestFailed', `azure-openai request to ${deployment} failed: ${(error as Error).message}`, { ...spent });
    }
  }
}

function toModelProviderError(error: unknown, skill: string): ModelProviderError {
  if (error instanceof ModelProviderError) return error;
  return new ModelProviderError('ModelRequestFailed', 'azure-openai', skill, `azure-openai failed: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}
