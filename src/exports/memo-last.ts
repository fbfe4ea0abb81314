/**
 * `memoLast(fn)`: `fn` remembering only its last argument (compared by identity) and result. The
 * export's rows of one instruction, and the battles of one round, arrive one after another and
 * share the same arrays, so a one-entry memo catches every repeat without holding anything more.
 * Results are frozen (deeply, one level into arrays) because every caller shares them.
 */
export function memoLast<T extends object, R extends object>(fn: (x: T) => R): (x: T) => R {
  let lastIn: T | null = null;
  let lastOut: R | null = null;
  return (x) => {
    if (x !== lastIn || lastOut === null) {
      const out = fn(x);
      if (Array.isArray(out)) for (const item of out) if (typeof item === "object" && item !== null) Object.freeze(item);
      lastOut = Object.freeze(out);
      lastIn = x;
    }
    return lastOut;
  };
}
