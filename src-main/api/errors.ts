// Maps anything thrown inside the engine to the one error shape that leaves the API: { code, message, hint?, where? }.
import { UserError } from '../util/errors.ts';
import type { ApiError, ApiErrorCode } from './types.ts';

/** An ApiError travelling as an Error (thrown by clients so callers can `catch` it; `.apiError` has the fields). */
export class EngineError extends Error implements ApiError {
  readonly code: ApiErrorCode;
  readonly hint?: string;
  readonly where?: string;
  constructor(e: ApiError) {
    super(e.message);
    this.name = 'EngineError';
    this.code = e.code;
    if (e.hint !== undefined) this.hint = e.hint;
    if (e.where !== undefined) this.where = e.where;
  }
  toJSON(): ApiError {
    return plain(this);
  }
}

function plain(e: ApiError): ApiError {
  const out: ApiError = { code: e.code, message: e.message };
  if (e.hint) out.hint = e.hint;
  if (e.where) out.where = e.where;
  return out;
}

interface ZodLikeIssue {
  path: (string | number)[];
  message: string;
}

/** Converts any thrown value into a plain ApiError. Zod issues become BAD_INPUT naming the field. */
export function toApiError(err: unknown, method?: string): ApiError {
  if (err instanceof UserError || err instanceof EngineError) return plain(err);
  if (err && typeof err === 'object' && 'issues' in err && Array.isArray((err as { issues: unknown }).issues)) {
    const issues = (err as { issues: ZodLikeIssue[] }).issues;
    const first = issues[0];
    const field = first?.path.length ? first.path.join('.') : 'request';
    return {
      code: 'BAD_INPUT',
      message: `${method ? method + ': ' : ''}invalid ${field}: ${first?.message ?? 'bad request'}${issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : ''}`,
      hint: 'Check the request fields against the EngineApi types (src-main/api/types.ts).',
      where: field,
    };
  }
  const e = err as { code?: string; message?: string } | undefined;
  if (e?.code === 'ENOENT') return { code: 'NOT_FOUND', message: e.message ?? 'file not found', hint: 'Check the path.' };
  if (e?.code === 'ENOSPC') return { code: 'RESOURCE', message: e.message ?? 'disk full', hint: 'Free disk space in the engine directory.' };
  if (e?.code === 'ERR_WORKER_OUT_OF_MEMORY' || /out of memory/i.test(e?.message ?? '')) return { code: 'RESOURCE', message: e?.message ?? 'out of memory', hint: 'Use a smaller batch or preset.' };
  return {
    code: 'INTERNAL',
    message: `${method ? method + ': ' : ''}${err instanceof Error ? err.message : String(err)}`,
    hint: 'This is a bug in ebm-hep; please report it with the run id and this message.',
  };
}
