import { parse, parseAllDocuments, stringify } from 'yaml';
import { validateArchitectureDocument } from '../../shared/skills/architecture/validateMermaid';
import { validateBicepText } from '../../shared/skills/bicep/validateBicep';
import { sampleEvent } from '../../shared/skills/events/eventSchema';
import { validateEventSchemaText } from '../../shared/skills/events/validateEventSchema';
import { validateManifestsText } from '../../shared/skills/k8s/validateManifests';
import { validateOpenApiText } from '../../shared/skills/openapi/validateOpenApi';
import { validateAzurePipeline, validateDockerfile, validateGitHubWorkflow } from '../../shared/skills/pipeline/validatePipeline';
import { validateReleaseManifestText } from '../../shared/skills/release/generateReleaseManifest';
import type { SkillArtifact } from '../../shared/skills/types';
import { validateVisionDocument } from '../../shared/skills/vision/draftVisionDocument';
import { artifactNamed, loadBlueprint, runAllSkills } from './skillFixtures';

const blueprint = loadBlueprint('vetclinic');
const booking = blueprint.spec.modules.find((module) => module.name === 'BookingService')!;
let artifacts: SkillArtifact[];
const content = (name: string) => artifactNamed(artifacts, name).content;

beforeAll(async () => {
  artifacts = await runAllSkills(blueprint);
});

describe('each validator accepts the generated output and rejects a corrupted one', () => {
  test('OpenAPI', async () => {
    const text = content('booking-service/openapi.yaml');
    expect(await validateOpenApiText(text, booking)).toEqual([]);
    const document = parse(text);
    delete document.info.version;
    delete document.paths['/booking/v1/appointments/{id}'].delete;
    document.paths['/booking/v1/appointments'].get.responses['400'] = { description: 'bad', content: { 'application/json': { schema: { $ref: '#/components/schemas/Nope' } } } };
    const failures = await validateOpenApiText(stringify(document), booking);
    expect(failures).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^schema: \/info must have required property 'version'/),
        'unresolved $ref #/components/schemas/Nope',
        'GET /booking/v1/appointments 400 is not application/problem+json',
        'missing DELETE /booking/v1/appointments/{id}',
      ]),
    );
  });

  test('event schema', () => {
    const text = content('booking-service/events/AppointmentBooked.v1.schema.json');
    const sample = sampleEvent(booking, 'AppointmentBooked.v1', false);
    expect(validateEventSchemaText(text, sample)).toEqual([]);
    const schema = JSON.parse(text);
    delete schema.properties.type.const;
    expect(validateEventSchemaText(JSON.stringify(schema), sample)).toEqual(['accepts an event of another type']);
    schema.properties.data.properties.petName = { type: 'integer' };
    expect(validateEventSchemaText(JSON.stringify(schema), sample)[0]).toMatch(/^rejects its sample event: event\/data\/petName must be integer/);
    schema.properties.data.required.push('missing');
    expect(validateEventSchemaText(JSON.stringify(schema), sample)[0]).toMatch(/^does not compile: strict mode: required property "missing" is not defined/);
    expect(validateEventSchemaText(JSON.stringify({ ...schema, type: 'objekt' }), sample)[0]).toMatch(/^does not compile/);
  });

  test('Bicep', () => {
    const text = content('booking-service/infra/main.bicep');
    expect(validateBicepText(text, blueprint, booking)).toEqual([]);
    const corrupted = text
      .replace(/\n}\n\nresource cosmosDatabase/, '\n\nresource cosmosDatabase')
      .replace("param releaseVersion string", "param releaseVersion string\n\nparam unusedThing string")
      .replace("output appName string = app.name", "output appName string = app.name\noutput key string = cosmosAccount.listKeys().primaryMasterKey");
    expect(validateBicepText(corrupted)).toEqual(expect.arrayContaining([expect.stringMatching(/never closed|closes/), 'param unusedThing is never used', 'reads keys (listKeys/listConnectionStrings); use the managed identity']));
    const withoutRoles = text.replace(/resource serviceBusSender [\s\S]*?\n}\n/, '');
    expect(validateBicepText(withoutRoles, blueprint, booking)).toEqual(['missing the Service Bus sender assignment']);
    expect(validateBicepText(text.replace('resource containerAppointments', 'resource identity'))).toContain('resource identity is declared twice');
  });

  test('Kubernetes manifests', () => {
    const text = content('booking-service/k8s/manifests.yaml');
    expect(validateManifestsText(text)).toEqual([]);
    const documents = parseAllDocuments(text).map((document) => document.toJS());
    const deployment = documents.find((document) => document.kind === 'Deployment');
    deployment.spec.selector.matchLabels['app.kubernetes.io/name'] = 'other';
    deployment.spec.template.spec.securityContext.runAsNonRoot = false;
    deployment.spec.template.spec.containers[0].image = 'vetclinic/booking-service:latest';
    const scaler = documents.find((document) => document.kind === 'ScaledObject');
    scaler.spec.minReplicaCount = 12;
    const failures = validateManifestsText(documents.map((document) => `---\n${stringify(document)}`).join(''));
    expect(failures).toEqual(
      expect.arrayContaining([
        'Deployment booking-service: selector does not match the pod labels',
        'Deployment booking-service: pods must set runAsNonRoot',
        "Deployment booking-service: image 'vetclinic/booking-service:latest' must carry a tag other than latest",
        'ScaledObject booking-service: replicas min 12 > max 10',
      ]),
    );
    expect(validateManifestsText('kind: [unclosed')[0]).toMatch(/^YAML:/);
  });

  test('pipeline files', () => {
    const dockerfile = content('booking-service/Dockerfile');
    expect(validateDockerfile(dockerfile)).toEqual([]);
    expect(validateDockerfile(dockerfile.replace(/node:20\.19\.5-bookworm-slim/g, 'node:latest').replace('USER node', 'USER root').replace(/^HEALTHCHECK.*$/m, ''))).toEqual([
      "base image 'node:latest' is not pinned by a full version tag",
      "base image 'node:latest' uses latest",
      "base image 'node:latest' is not pinned by a full version tag",
      "base image 'node:latest' uses latest",
      'the final stage does not run as a non-root USER',
      'no HEALTHCHECK',
    ]);
    const workflow = content('.github/workflows/booking-service.yml');
    expect(validateGitHubWorkflow(workflow, blueprint.spec.environments)).toEqual([]);
    const broken = parse(workflow);
    delete broken.jobs['deploy-staging'].environment;
    broken.jobs.build.steps = broken.jobs.build.steps.filter((step: { run?: string }) => !step.run?.startsWith('node --test'));
    expect(validateGitHubWorkflow(stringify(broken), blueprint.spec.environments)).toEqual(['no step runs `node --test`', 'deploy job deploy-staging is not gated by an environment']);
    const azure = content('booking-service/azure-pipelines.yml');
    expect(validateAzurePipeline(azure, blueprint.spec.environments)).toEqual([]);
    const brokenAzure = parse(azure);
    brokenAzure.stages.pop();
    expect(validateAzurePipeline(stringify(brokenAzure), blueprint.spec.environments)).toEqual(['no Deploy_production stage']);
  });

  test('release manifest', () => {
    const text = content('release/manifest.json');
    const released = artifacts.filter((artifact) => artifact.name !== 'release/manifest.json');
    expect(validateReleaseManifestText(text, blueprint, released)).toEqual([]);
    const manifest = JSON.parse(text);
    manifest.modules[0].artifacts[0].contentHash = 'f'.repeat(64);
    manifest.environments.reverse();
    expect(validateReleaseManifestText(JSON.stringify(manifest), blueprint, released)).toEqual(['environments.0.order: expected order 1', 'environments.2.order: expected order 3']);
    manifest.environments.reverse();
    expect(validateReleaseManifestText(JSON.stringify(manifest), blueprint, released)).toEqual([`artifact ${manifest.modules[0].artifacts[0].name}: hash does not match its content`]);
    manifest.environments[2].approvals = ['Janitor'];
    expect(validateReleaseManifestText(JSON.stringify(manifest), blueprint, released)[0]).toMatch(/^environments\.2\.approvals\.0:/);
  });

  test('vision and architecture documents', () => {
    const vision = content('docs/vision.md');
    expect(validateVisionDocument(vision, blueprint)).toEqual([]);
    expect(validateVisionDocument(vision.replace('## Risks\n', '').replace('### PaymentService (', '### Payments ('), blueprint)).toEqual([
      "section 'Risks' is missing or out of order",
      'module PaymentService is not described',
    ]);
    const architecture = content('docs/architecture.md');
    expect(validateArchitectureDocument(architecture, blueprint)).toEqual([]);
    const broken = architecture.replace('  NotificationService[["NotificationService<br/>worker"]]\n', '').replace('PaymentService["PaymentService"]\n  BookingService -->', 'PaymentService["PaymentService"\n  BookingService -->');
    expect(validateArchitectureDocument(broken, blueprint)).toEqual(['containers: node NotificationService is not declared', "dependencies: line 4: '[' is never closed"]);
  });
});
