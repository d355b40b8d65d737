import type { ResponseFormatJSONSchema } from 'openai/resources/shared';
import { z } from 'zod';
import { toCheck, toSkillResult } from '../skills/outcome';
import { sortedUnique } from '../skills/naming';
import type { SkillArtifact, SkillInput, SkillResult } from '../skills/types';
import type { SkillBrief } from './skillBriefs';

const ARTIFACT_NAME = /^[A-Za-z0-9][\w.-]*(?:\/[A-Za-z0-9][\w.-]*)*$/;

/**
 * The output a model must produce for a skill: `{ artifacts: [{ name, kind, contentType, content }] }`
 * with the skill's artifact kind. The refinements (non-empty, unique path-like names under the module
 * prefix, content present) are checked by zod after the reply; the JSON schema sent for structured
 * output carries only the shape, which strict mode requires to be fully closed.
 */
export function modelOutputSchema(brief: SkillBrief, modulePrefix?: string) {
  return z
    .strictObject({
      artifacts: z.array(
        z.strictObject({
          name: z.string().describe(modulePrefix ? `file path starting with ${modulePrefix}/` : 'file path'),
          kind: z.enum([brief.kind]),
          contentType: z.string().describe(`media type, ${brief.contentType}`),
          content: z.string().describe('the whole file'),
        }),
      ),
    })
    .superRefine((output, ctx) => {
      if (output.artifacts.length === 0) ctx.addIssue({ code: 'custom', path: ['artifacts'], message: 'must hold at least one artifact' });
      const seen = new Set<string>();
      output.artifacts.forEach((artifact, index) => {
        const issue = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: ['artifacts', index, field], message });
        if (!ARTIFACT_NAME.test(artifact.name)) issue('name', `'${artifact.name}' is not a relative path such as docs/vision.md or booking-service/openapi.yaml`);
        else if (modulePrefix && !artifact.name.startsWith(`${modulePrefix}/`)) issue('name', `'${artifact.name}' must start with '${modulePrefix}/'`);
        if (seen.has(artifact.name)) issue('name', `'${artifact.name}' is used twice`);
        seen.add(artifact.name);
        if (artifact.content.trim() === '') issue('content', 'must not be empty');
      });
    });
}

export type ModelOutput = z.infer<ReturnType<typeof modelOutputSchema>>;

/** The `response_format` asking for structured output in the schema's shape. */
export function toResponseFormat(skillName: string, schema: z.ZodType): ResponseFormatJSONSchema {
  const { $schema: _dialect, ...jsonSchema } = z.toJSONSchema(schema) as Record<string, unknown>;
  return { type: 'json_schema', json_schema: { name: skillName, schema: jsonSchema, strict: true } };
}

export type ReplyVerdict = { ok: true; output: ModelOutput } | { ok: false; errors: string[] };

/** One model reply checked: parsed as JSON and validated; otherwise every problem, one line each. */
export function checkModelReply(reply: { content: string | null; refusal?: string | null; finishReason?: string | null }, schema: ReturnType<typeof modelOutputSchema>): ReplyVerdict {
  if (reply.refusal) return { ok: false, errors: [`the model refused: ${reply.refusal}`] };
  const truncated = reply.finishReason === 'length' ? ['the reply was cut off at the token ceiling; keep the content shorter'] : [];
  let value: unknown;
  try {
    value = JSON.parse(reply.content ?? '');
  } catch (error) {
    return { ok: false, errors: [...truncated, `the reply is not JSON: ${(error as Error).message}`] };
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, output: parsed.data };
  return { ok: false, errors: [...truncated, ...parsed.error.issues.map((issue) => `${toPath(issue.path) || '(reply)'}: ${issue.message}`)] };
}

/** The skill result of a valid model output: artifacts of the input's module, derived from the blueprint and the input artifacts. */
export function toModelSkillResult(skillName: string, output: ModelOutput, input: SkillInput): SkillResult {
  const inputs = sortedUnique(['blueprint', ...input.artifacts.map((artifact) => artifact.name)]);
  const artifacts: SkillArtifact[] = output.artifacts.map((artifact) => ({
    name: artifact.name,
    kind: artifact.kind,
    ...(input.module === undefined ? {} : { module: input.module }),
    contentType: artifact.contentType,
    content: artifact.content,
    inputs,
  }));
  return toSkillResult(skillName, artifacts, [toCheck('model-output-schema', [])]);
}

function toPath(path: readonly PropertyKey[]): string {
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`)).join('');
}
