// Shared by the suites that drive Verdict through the official Qase clients (qase-api-client, v2).

/** The HTTP status a client call ended with: 200 when it resolved, the answer's status when it rejected. */
export async function statusOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (err) {
    // The client rejects with axios's error, which carries the HTTP answer.
    const status = (err as { response?: { status?: number } }).response?.status;
    if (status === undefined) throw err;
    return status;
  }
}

/**
 * The keys of a client read model (written as `Record<keyof Model, true>`, so a key the client adds breaks
 * compilation) that an answer lacks.
 */
export const missing = (model: Record<string, true>, o: object | undefined) =>
  Object.keys(model).filter((k) => !(k in (o ?? {})));

/** An object's keys, sorted. */
export const keys = (o: object | undefined) => Object.keys(o ?? {}).sort();

/** A model's keys plus extra ones (Verdict's additions), sorted: compared with `keys` of an answer. */
export const names = (r: Record<string, true>, ...extra: string[]) => [...Object.keys(r), ...extra].sort();
