import { z } from 'zod';
import { getPlatform } from '../platform/composition';
import { TENANT_ROLES } from '../platform/auth/roles';
import { defineRoute } from '../platform/http/route';
import { projectParams } from '../platform/http/tenantParams';
import { requireProject } from '../projects/lookup';
import { readBlueprintText } from './handlers';
import { locateProblems } from './locate';
import { parseBlueprint } from './parse';

export const blueprintValidation = z
  .object({
    valid: z.boolean(),
    format: z.enum(['yaml', 'json']),
    problems: z.array(
      z.object({
        path: z.string().describe("Into the document, e.g. spec.modules[0].name; '' for the whole text"),
        code: z.string(),
        message: z.string(),
        line: z.number().int().optional().describe('1-based line of the problem (or of the nearest existing parent)'),
        column: z.number().int().optional(),
      }),
    ),
  })
  .meta({ id: 'BlueprintValidation' });

/**
 * `POST .../blueprints:validate`: the same parse and checks as a submission, but nothing is stored,
 * audited or emitted — for editors that validate as the user types. Every problem also carries the
 * line and column it is about.
 */
export const lintBlueprintText = defineRoute({
  method: 'POST',
  path: 'tenants/{tenantId}/projects/{projectId}/blueprints:validate',
  operationId: 'lintBlueprintText',
  summary: 'Validate blueprint text without storing it: every problem with its path, code, line and column',
  tags: ['blueprints'],
  auth: { roles: TENANT_ROLES },
  params: projectParams,
  responses: { 200: blueprintValidation },
  handler: async ({ params, request }) => {
    await requireProject((await getPlatform()).store, params.tenantId, params.projectId);
    const text = await readBlueprintText(request);
    const parsed = parseBlueprint(text, request.headers.get('content-type') ?? undefined);
    const problems = parsed.ok ? [] : locateProblems(text, parsed.problems);
    return { body: { valid: parsed.ok, format: parsed.format, problems } };
  },
});
