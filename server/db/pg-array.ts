/**
 * PostgreSQL array literals for the batch statements of the hot paths (a dispatch round sends a
 * dozen arrays of up to `claimBatch` elements). Passed as one text parameter and cast in the SQL
 * (`${textArray(ids)}::uuid[]`), they cost a join where pg's own encoder runs two regular
 * expressions on every element and formats every Date in local time through string padding.
 */

/** `{"a","b"}`: every element quoted, so any text is safe; backslashes and quotes escaped. */
export function textArray(values: readonly (string | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i += 1) {
    if (i > 0) out += ',';
    const v = values[i];
    if (v === null || v === undefined) out += 'NULL';
    else if (v.includes('"') || v.includes('\\')) out += `"${v.replace(/[\\"]/g, '\\$&')}"`;
    else out += `"${v}"`;
  }
  return `${out}}`;
}

/** `{1,2,3}` of finite numbers. */
export function numberArray(values: readonly number[]): string {
  for (const v of values) if (!Number.isFinite(v)) throw new RangeError(`not a finite number: ${v}`);
  return `{${values.join(',')}}`;
}

/**
 * `{"2026-01-01T00:00:00.000Z",…}`: instants in UTC, for a `::timestamptz[]` cast. A round's
 * instants repeat (one deadline per campaign), so a run of equal ones is formatted once.
 */
export function timestampArray(values: readonly Date[]): string {
  let lastTime = Number.NaN;
  let lastText = '';
  return textArray(
    values.map((d) => {
      const time = d.getTime();
      if (time !== lastTime) {
        lastTime = time;
        lastText = d.toISOString();
      }
      return lastText;
    }),
  );
}
