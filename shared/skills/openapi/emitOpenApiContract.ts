import { kebabCase, requireModule } from '../naming';
import { toCheck, toSkillResult } from '../outcome';
import type { Skill, SkillInput, SkillResult } from '../types';
import { toYaml } from '../yamlText';
import { toOpenApiDocument } from './buildOpenApi';
import { validateOpenApiText } from './validateOpenApi';

const NAME = 'EmitOpenApiContract';

/** `api-designer/EmitOpenApiContract`: the module's OpenAPI 3.1 contract, `{module}/openapi.yaml`. */
export const emitOpenApiContract: Skill = {
  name: NAME,
  agentRole: 'api-designer',
  description: 'OpenAPI 3.1 contract of a module: versioned CRUD per entity, paging, problem+json errors.',
  async run(input: SkillInput): Promise<SkillResult> {
    const module = requireModule(NAME, input);
    const content = toYaml(toOpenApiDocument(input.blueprint, module));
    const failures = await validateOpenApiText(content, module);
    return toSkillResult(
      NAME,
      [{ name: `${kebabCase(module.name)}/openapi.yaml`, kind: 'openapi-contract', module: module.name, contentType: 'application/yaml', content, inputs: ['blueprint'] }],
      [toCheck('openapi-3.1-document', failures)],
    );
  },
};
