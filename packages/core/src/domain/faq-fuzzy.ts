/**
 * Damerau–Levenshtein distance (the optimal-string-alignment variant: insert, delete, substitute,
 * swap two neighbours) between `a` and `b`, or `max + 1` as soon as it is known to exceed `max`.
 * Cost O(|a|·|b|) at worst, and usually far less: strings whose lengths differ by more than `max`
 * are rejected at once, and a row whose every cell exceeds `max` ends the work.
 *
 * @example
 * boundedDamerau('refnud', 'refund', 1) // 1 (one swap)
 * boundedDamerau('adress', 'address', 1) // 1 (one insertion)
 * boundedDamerau('parcel', 'pencil', 1) // 2 (more than max)
 */
export function boundedDamerau(a: string, b: string, max: number): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  // Three rolling rows: the one before the previous (for swaps), the previous, the current.
  let before = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [before, prev, cur] = [prev, cur, before];
  }
  return Math.min(prev[n]!, max + 1);
}

/** Typo allowance of a query term: none below 4 characters, 1 edit up to 7, 2 edits from 8. */
export function typoAllowance(term: string): number {
  return term.length < 4 ? 0 : term.length < 8 ? 1 : 2;
}
