/** An RFC 9457 problem the API answered, kept whole so pages can show `errors[]` at their paths. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly problem: { title?: string; detail?: string; code?: string; errors?: { path: string; message: string }[]; traceId?: string },
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }

  /** The route does not exist here (yet): pages for features still being built degrade instead of failing. */
  get routeMissing(): boolean {
    return this.status === 404 && this.problem.code === 'RouteNotFound';
  }
}
