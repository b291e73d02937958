// Errors meant for a physicist: what was wrong, where (file, dataset, run), and what to do about it.

export type ErrorCode =
  | 'BAD_INPUT' // a file or request the engine cannot use
  | 'NOT_FOUND'
  | 'UNSUPPORTED' // a format, branch type or option we do not handle
  | 'CONFLICT' // e.g. the run is already running
  | 'RESOURCE' // disk full, out of memory, backend unavailable
  | 'INTERNAL';

export class UserError extends Error {
  readonly code: ErrorCode;
  /** What the user can do about it, one sentence. */
  readonly hint?: string;
  /** The file, dataset or run concerned. */
  readonly where?: string;

  constructor(code: ErrorCode, message: string, opts: { hint?: string; where?: string; cause?: unknown } = {}) {
    super(message, opts.cause !== undefined ? { cause: opts.cause } : undefined);
    this.name = 'UserError';
    this.code = code;
    this.hint = opts.hint;
    this.where = opts.where;
  }
}

/** A bad-input error about one file: "<file>: <problem>" with a hint. */
export function badFile(path: string, problem: string, hint: string, cause?: unknown): UserError {
  return new UserError('BAD_INPUT', `${path}: ${problem}`, { hint, where: path, cause });
}
