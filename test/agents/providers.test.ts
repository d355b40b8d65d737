import { AzureOpenAIModelProvider } from '../../shared/agents/azureOpenAIModelProvider';
import { BuiltinModelProvider } from '../../shared/agents/builtinModelProvider';
import { createModelProviders, providerFor } from '../../shared/agents/providers';
import { getAgent } from '../../shared/agents/registry';
import { loadConfig } from '../../shared/platform/config';
import { emitOpenApiContract } from '../../shared/skills/openapi/emitOpenApiContract';

describe('choosing a model provider', () => {
  const modelAuthored = getAgent('vision-architect-1').modelPolicy;
  const deterministic = getAgent('backend-developer-1').modelPolicy;
  const configured = { AZURE_OPENAI_ENDPOINT: 'https://factory.openai.azure.com', AZURE_OPENAI_DEPLOYMENT: 'gpt-4o' };

  it('picks azure-openai only when it is configured and the policy allows it', () => {
    expect(providerFor(modelAuthored, configured)).toBe('azure-openai');
    expect(providerFor(modelAuthored, {})).toBe('builtin');
    expect(providerFor(modelAuthored, { AZURE_OPENAI_ENDPOINT: configured.AZURE_OPENAI_ENDPOINT })).toBe('builtin');
    expect(providerFor({ ...modelAuthored, deployment: 'gpt-policy' }, { AZURE_OPENAI_ENDPOINT: configured.AZURE_OPENAI_ENDPOINT })).toBe('azure-openai');
    expect(providerFor(deterministic, configured)).toBe('builtin');
    expect(providerFor({ ...modelAuthored, allowedProviders: ['builtin', 'azure-openai'] }, configured)).toBe('builtin');
  });

  it('runs builtin for an azure-only policy that is not configured only when its fallback says so', () => {
    const azureOnly = { allowedProviders: ['azure-openai' as const], tokenCeiling: 1000, fallback: 'builtin' as const };
    expect(providerFor(azureOnly, {})).toBe('builtin');
    expect(() => providerFor({ ...azureOnly, fallback: null }, {})).toThrow(/not configured \(AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_DEPLOYMENT\)/);
  });

  it('builds the Azure OpenAI provider from config only when an endpoint is set', () => {
    const local = createModelProviders(loadConfig({}, '/nonexistent'), { skills: [emitOpenApiContract] });
    expect(local.azureOpenAI).toBeUndefined();
    expect(local.forPolicy(modelAuthored)).toBeInstanceOf(BuiltinModelProvider);
    const azure = createModelProviders(loadConfig({ ...configured, AZURE_OPENAI_API_KEY: 'test-key' }, '/nonexistent'), { skills: [emitOpenApiContract] });
    expect(azure.forPolicy(modelAuthored)).toBeInstanceOf(AzureOpenAIModelProvider);
    expect(azure.forPolicy(deterministic)).toBe(azure.builtin);
  });
});
