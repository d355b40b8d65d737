import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Eta } from 'eta';
import type { Blueprint, BlueprintModule } from '../../blueprints/schemas';
import { SERVICE_PORT } from '../infrastructurePlan';
import { kebabCase } from '../naming';

/** The base image of every generated service, pinned by its full version tag. */
export const NODE_IMAGE = 'node:20.19.5-bookworm-slim';
export const NODE_VERSION = '20.19.5';

/**
 * A multi-stage Dockerfile (`templates/Dockerfile.eta`): builds and runs the tests with the dev
 * tools, ships `dist/src`, `package.json` and the production `node_modules`, runs as `node`, with a
 * HEALTHCHECK on `/health/live`.
 */
export function toDockerfile(module: BlueprintModule): string {
  const template = readFileSync(path.join(__dirname, 'templates', 'Dockerfile.eta'), 'utf8');
  return new Eta({ autoEscape: false, autoTrim: false }).renderString(template, { module: module.name, image: NODE_IMAGE, port: SERVICE_PORT });
}

/** `<login server>/<blueprint>/<module>`: the image repository in the registry. */
function repository(blueprint: Blueprint, module: BlueprintModule): string {
  return `\${REGISTRY}/${blueprint.metadata.name}/${kebabCase(module.name)}`;
}

/**
 * Builds the image tagged with the commit, pushes it and prints its digest (the registry's
 * `sha256:…`), which deployment then uses: what is deployed is exactly what was built and tested.
 */
function pushScript(blueprint: Blueprint, module: BlueprintModule, tag: string, emitDigest: string): string {
  const image = `${repository(blueprint, module)}:${tag}`;
  return [
    'az acr login --name "${REGISTRY%%.*}"',
    `docker build --tag "${image}" .`,
    `docker push "${image}"`,
    `digest="$(docker inspect --format '{{index .RepoDigests 0}}' "${image}" | cut -d@ -f2)"`,
    emitDigest,
  ].join('\n');
}

/**
 * A function module's code goes to its Function App as a zip package (one deploy, what Flex
 * Consumption takes): the compiled functions, `host.json`, `package.json` and production dependencies.
 */
const FUNCTION_CODE_DEPLOY = [
  'npm install --no-audit --no-fund',
  'npm run build',
  'npm prune --omit=dev',
  'zip -qr app.zip host.json package.json dist/src node_modules',
  'az functionapp deployment source config-zip --resource-group "${RESOURCE_GROUP}" --name "$app" --src app.zip',
];

function deployScript(blueprint: Blueprint, module: BlueprintModule, environment: string): string[] {
  const params = [`environmentName=${environment}`, 'tenantId=${TENANT_ID}', 'projectId=${PROJECT_ID}', 'releaseVersion=${IMAGE_TAG}'];
  if (module.kind !== 'function') params.push('managedEnvironmentId=${MANAGED_ENVIRONMENT_ID}', `containerImage=${repository(blueprint, module)}@\${IMAGE_DIGEST}`, 'containerRegistryName=${REGISTRY%%.*}');
  const infra = `az deployment group create --resource-group "\${RESOURCE_GROUP}" --template-file infra/main.bicep --parameters ${params.join(' ')}`;
  if (module.kind !== 'function') return [infra];
  return [`app="$(${infra} --query properties.outputs.appName.value --output tsv)"`, ...FUNCTION_CODE_DEPLOY];
}

const AZURE_LOGIN = { uses: 'azure/login@v2', with: { 'client-id': '${{ vars.AZURE_CLIENT_ID }}', 'tenant-id': '${{ vars.AZURE_TENANT_ID }}', 'subscription-id': '${{ vars.AZURE_SUBSCRIPTION_ID }}' } };

/** GitHub Actions: build and test with `node --test`, build and push the image, then one deploy job per environment, in order, each deploying the pushed digest. */
export function toGitHubWorkflow(blueprint: Blueprint, module: BlueprintModule, deploy: boolean): Record<string, unknown> {
  const folder = kebabCase(module.name);
  const jobs: Record<string, unknown> = {
    build: {
      'runs-on': 'ubuntu-24.04',
      steps: [
        { uses: 'actions/checkout@v4' },
        { uses: 'actions/setup-node@v4', with: { 'node-version': NODE_VERSION } },
        { name: 'Install', run: 'npm install --no-audit --no-fund' },
        { name: 'Build', run: 'npm run build' },
        { name: 'Test', run: 'node --test dist/test/*.test.js' },
      ],
    },
    image: {
      needs: 'build',
      'runs-on': 'ubuntu-24.04',
      permissions: { 'id-token': 'write', contents: 'read' },
      env: { REGISTRY: '${{ vars.REGISTRY }}' },
      outputs: { digest: '${{ steps.push.outputs.digest }}' },
      steps: [
        { uses: 'actions/checkout@v4' },
        AZURE_LOGIN,
        { name: 'Docker build and push', id: 'push', run: pushScript(blueprint, module, '${{ github.sha }}', 'echo "digest=$digest" >> "$GITHUB_OUTPUT"') },
      ],
    },
  };
  if (deploy) {
    let previous = 'image';
    for (const environment of blueprint.spec.environments) {
      jobs[`deploy-${environment}`] = {
        needs: previous === 'image' ? ['image'] : [previous, 'image'],
        if: "github.ref == 'refs/heads/main'",
        'runs-on': 'ubuntu-24.04',
        environment,
        permissions: { 'id-token': 'write', contents: 'read' },
        env: { RESOURCE_GROUP: '${{ vars.RESOURCE_GROUP }}', REGISTRY: '${{ vars.REGISTRY }}', TENANT_ID: '${{ vars.FACTORY_TENANT_ID }}', PROJECT_ID: '${{ vars.FACTORY_PROJECT_ID }}', MANAGED_ENVIRONMENT_ID: '${{ vars.MANAGED_ENVIRONMENT_ID }}', IMAGE_TAG: '${{ github.sha }}', IMAGE_DIGEST: '${{ needs.image.outputs.digest }}' },
        steps: [
          { uses: 'actions/checkout@v4' },
          AZURE_LOGIN,
          { name: `Deploy to ${environment}`, run: deployScript(blueprint, module, environment).join('\n') },
        ],
      };
      previous = `deploy-${environment}`;
    }
  }
  return {
    name: folder,
    on: { push: { branches: ['main'], paths: [`${folder}/**`] }, pull_request: { paths: [`${folder}/**`] } },
    permissions: { contents: 'read' },
    defaults: { run: { 'working-directory': folder } },
    jobs,
  };
}

/** Azure Pipelines: a Build stage (install, build, `node --test`, build and push the image, its digest as an output) and a deployment stage per environment deploying that digest. */
export function toAzurePipeline(blueprint: Blueprint, module: BlueprintModule, deploy: boolean): Record<string, unknown> {
  const folder = kebabCase(module.name);
  const stages: unknown[] = [
    {
      stage: 'Build',
      jobs: [
        {
          job: 'build',
          pool: { vmImage: 'ubuntu-24.04' },
          steps: [
            { task: 'NodeTool@0', inputs: { versionSpec: NODE_VERSION } },
            { script: 'npm install --no-audit --no-fund', workingDirectory: folder, displayName: 'Install' },
            { script: 'npm run build', workingDirectory: folder, displayName: 'Build' },
            { script: 'node --test dist/test/*.test.js', workingDirectory: folder, displayName: 'Test' },
            {
              task: 'AzureCLI@2',
              name: 'push',
              displayName: 'Docker build and push',
              inputs: {
                azureSubscription: `${blueprint.metadata.name}-registry`,
                scriptType: 'bash',
                scriptLocation: 'inlineScript',
                workingDirectory: folder,
                inlineScript: pushScript(blueprint, module, '$(Build.SourceVersion)', 'echo "##vso[task.setvariable variable=digest;isOutput=true]$digest"'),
              },
              env: { REGISTRY: '$(REGISTRY)' },
            },
          ],
        },
      ],
    },
  ];
  if (deploy) {
    let previous = 'Build';
    for (const environment of blueprint.spec.environments) {
      const stage = `Deploy_${environment}`;
      stages.push({
        stage,
        dependsOn: previous === 'Build' ? 'Build' : [previous, 'Build'],
        condition: "and(succeeded(), eq(variables['Build.SourceBranch'], 'refs/heads/main'))",
        jobs: [
          {
            deployment: `deploy_${environment}`,
            pool: { vmImage: 'ubuntu-24.04' },
            environment: `${blueprint.metadata.name}-${environment}`,
            variables: { IMAGE_DIGEST: "$[ stageDependencies.Build.build.outputs['push.digest'] ]" },
            strategy: {
              runOnce: {
                deploy: {
                  steps: [
                    { checkout: 'self' },
                    {
                      task: 'AzureCLI@2',
                      displayName: `Deploy to ${environment}`,
                      inputs: { azureSubscription: `${blueprint.metadata.name}-${environment}`, scriptType: 'bash', scriptLocation: 'inlineScript', workingDirectory: folder, inlineScript: deployScript(blueprint, module, environment).join('\n') },
                      env: { IMAGE_TAG: '$(Build.SourceVersion)', IMAGE_DIGEST: '$(IMAGE_DIGEST)', REGISTRY: '$(REGISTRY)' },
                    },
                  ],
                },
              },
            },
          },
        ],
      });
      previous = stage;
    }
  }
  return { trigger: { branches: { include: ['main'] }, paths: { include: [`${folder}/*`] } }, pr: { paths: { include: [`${folder}/*`] } }, stages };
}
