/**
 * Exit codes scripts branch on (as `--wait` and `watch` end): 0 completed, 1 failed (or an API
 * error), 2 usage error (bad or missing flag, no terminal to prompt on), 3 waiting for approval,
 * 4 cancelled, 130 detached with Ctrl+C (the workflow keeps running).
 */
export const ExitCode = {
  Ok: 0,
  Failed: 1,
  Usage: 2,
  WaitingForApproval: 3,
  Cancelled: 4,
  Detached: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
