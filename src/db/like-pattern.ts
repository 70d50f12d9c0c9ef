/** `lower(col) like lower(pattern)` with % and _ escaped: case-insensitive "contains" on both dialects. */
export function containsPattern(search: string): string {
  return `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
