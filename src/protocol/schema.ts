/**
 * Zod set-up and small schema helpers for the protocol. Import this module before building any
 * schema: zod reads its configuration when a schema is created.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// The webview CSP has no 'unsafe-eval': zod's JIT probes `new Function` when an object schema is
// built, which the browser reports as a CSP violation. Plain interpretation is fast enough here.
z.config({ jitless: true, ...en() });

/** A parse outcome that carries a human-readable reason instead of throwing. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Runs a schema and turns its issues into one line: "chat/send: text: Too small: ...". */
export function parseWith<T>(schema: z.ZodMiniType<T>, raw: unknown, what: string): ParseResult<T> {
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, value: result.data };
  const reasons = result.error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  return { ok: false, reason: `${what}: ${reasons.join('; ')}` };
}

/** A non-empty string of at most `max` characters. */
export function text(max: number): z.ZodMiniString<string> {
  return z.string().check(z.minLength(1), z.maxLength(max));
}

/** A string of at most `max` characters, possibly empty. */
export function maybeEmptyText(max: number): z.ZodMiniString<string> {
  return z.string().check(z.maxLength(max));
}

/** An integer >= `min`. */
export function int(min: number): z.ZodMiniNumber<number> {
  return z.number().check(z.int(), z.minimum(min));
}

/** A finite number >= 0 (counts, milliseconds, USD). */
export function nonNegative(): z.ZodMiniNumber<number> {
  return z.number().check(z.minimum(0));
}

/** Ids minted by one side and echoed by the other: request ids, turn ids, conversation ids. */
export const idSchema = z.string().check(z.regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'expected an id of 1-128 letters, digits, _ . : -'));
