// Seeded, structure-aware mutation of JSON bodies for the fuzz suites: a failing case replays from its seed.

/** mulberry32: a small seeded generator, so a failing case can be replayed from its seed. */
export function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Values a broken or hostile client might put anywhere. */
export const ODD: (() => Json)[] = [
  () => null,
  () => true,
  () => 0,
  () => -1,
  () => 1.5,
  () => 2 ** 31,
  () => 2 ** 53 + 2,
  () => -1e308,
  () => 1e308,
  () => "",
  () => " ",
  () => "\u0000nul",
  () => "😀".repeat(70_000),
  () => "x".repeat(300_000),
  () => "<script>alert(1)</script>",
  () => "2026-13-45 99:99:99",
  () => "FAILED",
  () => "passed",
  () => [],
  () => [null],
  () => ({}),
  () => ({ a: { b: [1, "2", null] } }),
  () => Array.from({ length: 1200 }, () => ({})),
];

/** Every path to a value inside the result, objects' keys and arrays' indexes alike. */
export function paths(v: Json, at: (string | number)[] = [], out: (string | number)[][] = []) {
  if (v !== null && typeof v === "object") {
    for (const [k, child] of Object.entries(v)) {
      const p = [...at, Array.isArray(v) ? Number(k) : k];
      out.push(p);
      paths(child, p, out);
    }
  }
  return out;
}

/** One random change: a value replaced, a key removed, an unknown key added or an array grown. */
export function mutate(r: { [k: string]: Json }, rnd: () => number) {
  const all = paths(r);
  const p = all[Math.floor(rnd() * all.length)] ?? ["title"];
  let parent: Json = r;
  for (const k of p.slice(0, -1)) parent = (parent as Record<string, Json>)[k as string] as Json;
  const key = p[p.length - 1] as string | number;
  const odd = (ODD[Math.floor(rnd() * ODD.length)] as () => Json)();
  const container = parent as Record<string | number, Json>;
  const how = rnd();
  if (how < 0.6) container[key] = odd;
  else if (how < 0.75) {
    if (Array.isArray(container)) (container as Json[]).splice(Number(key), 1);
    else delete container[key];
  } else if (how < 0.9 && !Array.isArray(container)) container[`unknown_${Math.floor(rnd() * 9)}`] = odd;
  else {
    const target = container[key];
    if (Array.isArray(target)) target.push(odd);
    else container[key] = odd;
  }
  return `${p.join(".")} (${how < 0.6 ? "replaced" : how < 0.75 ? "removed" : "added/grown"})`;
}
