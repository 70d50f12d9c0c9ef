/** Bundles the reporter CLI into one file; resolves to its path. */
export function buildReporter(opts?: { out?: string; version?: string }): Promise<string>;
