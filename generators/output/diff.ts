// Short line diffs for `generate --check`: enough context to see what drifted, never a wall of text.

/** Longest-common-subsequence table on lines; the files here are small (a few hundred lines). */
function lcsTable(a: string[], b: string[]): number[][] {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const row = table[i] as number[];
      row[j] =
        a[i] === b[j]
          ? ((table[i + 1] as number[])[j + 1] as number) + 1
          : Math.max((table[i + 1] as number[])[j] as number, row[j + 1] as number);
    }
  }
  return table;
}

/**
 * `-`/`+` lines of what changed from `actual` (on disk) to `expected` (what the model gives),
 * each prefixed with its line number, at most `maxLines` of them.
 */
export function shortDiff(actual: string, expected: string, maxLines = 12): string[] {
  const a = actual.split("\n");
  const b = expected.split("\n");
  const table = lcsTable(a, b);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  let hidden = 0;
  const push = (line: string) => {
    if (out.length < maxLines) out.push(line);
    else hidden += 1;
  };
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i += 1;
      j += 1;
    } else if (
      i < a.length &&
      (j === b.length || ((table[i + 1] as number[])[j] as number) >= ((table[i] as number[])[j + 1] as number))
    ) {
      // Removals before additions, as in a unified diff.
      push(`-${String(i + 1).padStart(4)}: ${a[i]}`);
      i += 1;
    } else {
      push(`+${String(j + 1).padStart(4)}: ${b[j]}`);
      j += 1;
    }
  }
  if (hidden > 0) out.push(`  … ${hidden} more changed lines`);
  return out;
}
