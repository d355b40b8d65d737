import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ApiError, NotAvailable, UsageError, type Problem } from '../errors';

/** A tool's success: the data as structured content, and as JSON text for clients that read text only. */
export function toToolResult(data: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(data, null, 2) }], structuredContent: data };
}

/**
 * A tool's failure as the API's problem details (RFC 9457, JSON text), so an agent can fix each
 * path. Not as structured content: clients check that against the tool's output schema, errors too.
 */
export function toToolError(error: unknown): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: JSON.stringify(toProblem(error), null, 2) }] };
}

function toProblem(error: unknown): Problem {
  if (error instanceof ApiError) return error.problem;
  if (error instanceof UsageError) return { title: 'Bad Request', status: 400, detail: error.message, code: 'InvalidToolInput' };
  if (error instanceof NotAvailable) return { title: 'Not Found', status: 404, detail: error.message, code: 'RouteNotFound' };
  return { title: 'Tool failed', detail: (error as Error)?.message ?? String(error), code: 'ToolFailed' };
}

/** Runs a tool body, turning every failure into problem details. */
export async function runTool(work: () => Promise<Record<string, unknown>>): Promise<CallToolResult> {
  try {
    return toToolResult(await work());
  } catch (error) {
    return toToolError(error);
  }
}
