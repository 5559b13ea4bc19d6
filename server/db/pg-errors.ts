/**
 * Whether a database error is the unique index or constraint named `constraint` refusing a
 * duplicate (SQLSTATE 23505).
 */
export function isUniqueViolation(e: unknown, constraint: string): boolean {
  const err = e as { code?: unknown; constraint?: unknown } | null;
  return err?.code === '23505' && err.constraint === constraint;
}
