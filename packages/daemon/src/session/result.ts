/** What the manager answers: a value, or an error the server maps to its status (404, 409, 400). */
export type ManagerError =
  | { code: 'not_found'; message: string }
  | { code: 'conflict'; message: string }
  | { code: 'bad_request'; message: string };

export type Result<T> = { ok: true; value: T } | { ok: false; error: ManagerError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ManagerError['code'], message: string): Result<never> => ({ ok: false, error: { code, message } });
