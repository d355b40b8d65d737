import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AzureOpenAIModelProvider } from '../../shared/agents/azureOpenAIModelProvider';
import { BuiltinModelProvider } from '../../shared/agents/builtinModelProvider';
import type { ModelRequest } from '../../shared/agents/modelProvider';
import type { ModelPolicy } from '../../shared/agents/schemas';
import { emitOpenApiContract } from '../../shared/skills/openapi/emitOpenApiContract';
import { exampleText, validBlueprint } from '../blueprints/support';

/** What the compatible server saw of one request. */
interface SeenRequest {
  url: string;
  apiKey: string | undefined;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- request bodies are asserted field by field
  body: any;
}

const GOOD_REPLY = JSON.stringify({
  artifacts: [{ name: 'booking-service/openapi.yaml', kind: 'openapi-contract', contentType: 'application/yaml', content: 'openapi: 3.1.0\ninfo: { title: BookingService, version: v1 }\npaths: {}\n' }],
});
/** Valid JSON, wrong shape: the content is missing. */
const INVALID_REPLY = JSON.stringify({ artifacts: [{ name: 'booking-service/openapi.yaml', kind: 'openapi-contract', contentType: 'application/yaml' }] });
const NOT_JSON_REPLY = 'Sure! Here is the contract you asked for.';

type Mode = 'good' | 'invalid-then-good' | 'never-valid' | 'slow';

/** An OpenAI-compatible server answering the Azure path with a scripted chat completion per mode. */
function startCompatibleServer() {
  const seen: SeenRequest[] = [];
  let mode: Mode = 'good';
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', apiKey: req.headers['api-key'] as string | undefined, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      if (!/^\/openai\/deployments\/[^/]+\/chat\/completions\?api-version=/.test(req.url ?? '')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'DeploymentNotFound', message: 'no such path' } }));
        return;
      }
      if (mode === 'slow') return; // never answers; the client's deadline must end the call
      const content = mode === 'good' || (mode === 'invalid-then-good' && seen.length > 1) ? GOOD_REPLY : seen.length > 1 ? NOT_JSON_REPLY : INVALID_REPLY;
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: `chatcmpl-${seen.length}`,
          object: 'chat.completion',
          created: 1_700_000_000,
          model: 'gpt-4o-2024-08-06',
          choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
          usage: { prompt_tokens: 120, completion_tokens: 80, total_tokens: 200 },
        }),
      );
    });
  });
  return {
    seen,
    setMode(next: Mode) {
      mode = next;
      seen.length = 0;
    },
    listen: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

describe('AzureOpenAIModelProvider against an OpenAI-compatible server', () => {
  const server = startCompatibleServer();
  const builtin = new BuiltinModelProvider([emitOpenApiContract]);
  const input = { blueprint: validBlueprint(exampleText('vetclinic.yaml')), module: 'BookingService', artifacts: [] };
  const withFallback: ModelPolicy = { allowedProviders: ['azure-openai', 'builtin'], tokenCeiling: 3000, fallback: 'builtin' };
  const withoutFallback: ModelPolicy = { ...withFallback, fallback: null };
  let provider: AzureOpenAIModelProvider;
  const request = (policy: ModelPolicy): ModelRequest => ({ skill: 'api-designer/EmitOpenApiContract', agentId: 'api-designer-1', input, policy });

  beforeAll(async () => {
    const endpoint = await server.listen();
    provider = new AzureOpenAIModelProvider({ endpoint, apiVersion: '2024-10-21', deployment: 'gpt-test', apiKey: 'test-key', builtin, timeoutMs: 500 });
  });
  afterAll(() => server.close());

  it('asks for structured output and returns the validated artifacts with token usage', async () => {
    server.setMode('good');
    const run = await provider.run(request(withoutFallback));
    expect(run.result.artifacts).toEqual([
      { name: 'booking-service/openapi.yaml', kind: 'openapi-contract', module: 'BookingService', contentType: 'application/yaml', content: expect.stringContaining('openapi: 3.1.0'), inputs: ['blueprint'] },
    ]);
    expect(run.usage).toEqual({ provider: 'azure-openai', model: 'gpt-4o-2024-08-06', tokensIn: 120, tokensOut: 80, durationMs: expect.any(Number) });
    expect(run.fallback).toBeUndefined();

    expect(server.seen).toHaveLength(1);
    const [sent] = server.seen;
    expect(sent.url).toBe('/openai/deployments/gpt-test/chat/completions?api-version=2024-10-21');
    expect(sent.apiKey).toBe('test-key');
    expect(sent.body.max_tokens).toBe(3000);
    expect(sent.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'EmitOpenApiContract', strict: true } });
    const artifact = sent.body.response_format.json_schema.schema.properties.artifacts.items;
    expect(artifact).toMatchObject({ additionalProperties: false, required: ['name', 'kind', 'contentType', 'content'], properties: { kind: { enum: ['openapi-contract'] } } });
    expect(sent.body.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user']);
    expect(JSON.parse(sent.body.messages[1].content).module.name).toBe('BookingService');
  });

  it('sends the same prompt for the same request, and the policy deployment when it names one', async () => {
    server.setMode('good');
    await provider.run(request(withoutFallback));
    await provider.run(request({ ...withoutFallback, deployment: 'gpt-policy' }));
    expect(server.seen[1].body).toEqual({ ...server.seen[0].body, model: 'gpt-policy' });
    expect(server.seen[1].url).toBe('/openai/deployments/gpt-policy/chat/completions?api-version=2024-10-21');
  });

  it('retries once with the validation errors fed back, and counts the tokens of both calls', async () => {
    server.setMode('invalid-then-good');
    const run = await provider.run(request(withoutFallback));
    expect(run.result.artifacts.map((a) => a.name)).toEqual(['booking-service/openapi.yaml']);
    expect(run.usage).toMatchObject({ provider: 'azure-openai', tokensIn: 240, tokensOut: 160 });
    expect(server.seen).toHaveLength(2);
    const retry = server.seen[1].body.messages as { role: string; content: string }[];
    expect(retry.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(retry[2].content).toBe(INVALID_REPLY);
    expect(retry[3].content).toContain('artifacts[0].content: Invalid input: expected string, received undefined');
  });

  it('falls back to the builtin skill after the retry fails when the policy says so', async () => {
    server.setMode('never-valid');
    const run = await provider.run(request(withFallback));
    expect(server.seen).toHaveLength(2);
    expect(run.result).toEqual(await emitOpenApiContract.run(input));
    expect(run.usage).toMatchObject({ provider: 'builtin', model: 'builtin', tokensIn: 0, tokensOut: 0 });
    expect(run.fallback).toEqual({
      from: 'azure-openai',
      code: 'ModelOutputInvalid',
      reason: expect.stringContaining('the reply is not JSON'),
      model: 'gpt-4o-2024-08-06',
      tokensIn: 240,
      tokensOut: 160,
    });
  });

  it('fails with a clear error after the retry when there is no fallback', async () => {
    server.setMode('never-valid');
    const run = provider.run(request(withoutFallback));
    await expect(run).rejects.toMatchObject({
      name: 'ModelProviderError',
      code: 'ModelOutputInvalid',
      message: expect.stringMatching(/^azure-openai gave no valid output for EmitOpenApiContract in 2 attempts: the reply is not JSON/),
      usage: { tokensIn: 240, tokensOut: 160 },
    });
    expect(server.seen).toHaveLength(2);
  });

  it('falls back to builtin when the model does not answer in time', async () => {
    server.setMode('slow');
    const run = await provider.run(request(withFallback));
    expect(run.usage.provider).toBe('builtin');
    expect(run.fallback).toMatchObject({ from: 'azure-openai', code: 'ModelTimeout', reason: 'azure-openai did not answer gpt-test within 500 ms.', tokensIn: 0 });
    expect(run.result).toEqual(await emitOpenApiContract.run(input));
  });

  it('fails with a timeout error when the model does not answer in time and there is no fallback', async () => {
    server.setMode('slow');
    await expect(provider.run(request(withoutFallback))).rejects.toMatchObject({ code: 'ModelTimeout', message: 'azure-openai did not answer gpt-test within 500 ms.' });
    expect(server.seen).toHaveLength(1);
  });
});
