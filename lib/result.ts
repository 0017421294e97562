// Errors across a process or HTTP boundary travel as values (Signal's {ok, value} | {ok:false, error}).
export type Result<T, E = { code: string; message: string }> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });
