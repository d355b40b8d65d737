import { DockerfileParser } from 'dockerfile-ast';

/**
 * The Dockerfile parses (dockerfile-ast, the parser of the Docker language server) and keeps the
 * rules of a container-first service: multi-stage, the final stage runs as a non-root `USER`, has a
 * `HEALTHCHECK`, and a `.dockerignore` keeps `node_modules` and local data out of the build context.
 */
export function dockerfileProblems(dockerfile: string, dockerignore: string | undefined): string[] {
  const document = DockerfileParser.parse(dockerfile);
  const failures: string[] = [];
  const froms = document.getFROMs();
  const last = froms[froms.length - 1];
  const finalStage = document.getInstructions().filter((instruction) => last && instruction.getRange().start.line >= last.getRange().start.line);
  const keyword = (name: string) => finalStage.filter((instruction) => instruction.getKeyword() === name);
  if (froms.length < 2) failures.push('the Dockerfile is not multi-stage (build, then run)');
  const user = keyword('USER').pop()?.getArgumentsContent();
  if (!user || user === 'root' || user === '0') failures.push('the final stage does not switch to a non-root USER');
  if (!keyword('HEALTHCHECK').length) failures.push('the final stage has no HEALTHCHECK');
  if (!keyword('CMD').length) failures.push('the final stage has no CMD');
  for (const instruction of document.getInstructions()) {
    if (!['FROM', 'WORKDIR', 'COPY', 'RUN', 'ENV', 'USER', 'EXPOSE', 'HEALTHCHECK', 'CMD', 'ARG', 'LABEL'].includes(instruction.getKeyword())) {
      failures.push(`line ${instruction.getRange().start.line + 1}: unexpected instruction ${instruction.getKeyword()}`);
    }
  }
  if (dockerignore !== undefined && !dockerignore.split('\n').includes('node_modules')) failures.push('.dockerignore does not exclude node_modules');
  return failures;
}
