/**
 * `JobError`: a failure that stops one attempt at a queued job (a battle, a generator task). It says
 * whether another attempt can help; the job queue retries it while attempts are left, or records
 * it on the job with its kind. Expected provider failures become this; anything else thrown by a
 * handler is a crash (lib/job-loop.ts says how crashes are treated).
 */
export class JobError extends Error {
  constructor(
    /** A short machine-readable cause ("timeout", "invalid_output", "config", "budget", ...). */
    readonly kind: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "JobError";
  }
}
