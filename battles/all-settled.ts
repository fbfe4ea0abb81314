/** Waiting for every one of a battle's concurrent calls, even when one of them fails. */

/**
 * Promise.all that waits for every call before rejecting: a battle handed back to the queue (say,
 * because its budget refused one call) must have no call of its own still in flight.
 */
export async function allOrFirstError<T extends readonly unknown[]>(work: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(work);
  const values: unknown[] = [];
  for (const s of settled) {
    if (s.status === "rejected") throw s.reason;
    values.push(s.value);
  }
  return values as unknown as T;
}
