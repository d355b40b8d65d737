import { ExitCode, type ExitCodeValue } from './exitCodes';

/** An RFC 9457 problem as the factory answers it (`errors[]` carry the path of each problem). */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  traceId?: string;
  /** `line`/`column` (1-based): where the server located a blueprint problem in the text it was sent. */
  errors?: { path: string; message: string; code?: string; line?: number; column?: number }[];
  [extra: string]: unknown;
}

/** A mistake in how the CLI was called: exit 2, with the flag to fix in the message. */
export class UsageError extends Error {
  readonly exitCode = ExitCode.Usage;
}

/** The API refused a call; carries its problem details. */
export class ApiError extends Error {
  readonly exitCode: ExitCodeValue = ExitCode.Failed;
  /** The blueprint file the call sent, so problem paths can be shown as file:line:column. */
  source?: { name: string; text: string };
  constructor(
    readonly method: string,
    readonly path: string,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }

  /** True when no route answers the call: the server does not have that feature yet. */
  get routeMissing(): boolean {
    return this.problem.status === 404 && this.problem.code === 'RouteNotFound';
  }
}

/** A feature whose routes this server does not serve (an older or partial deployment). */
export class NotAvailable extends Error {
  readonly exitCode = ExitCode.Failed;
  constructor(what: string, method: string, path: string) {
    super(`${what} is not available on this server (${method} /api/${path} answered 404 RouteNotFound).`);
  }
}

/** Ends the command with a given exit code after its output is written (no message). */
export class Exit extends Error {
  constructor(readonly exitCode: ExitCodeValue) {
    super(`exit ${exitCode}`);
  }
}
