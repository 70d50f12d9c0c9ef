/** True when a source changed since the last stamped build, or an output is missing. */
export function needsBuild(root: string): boolean;
/** Records the sources under root as built. */
export function writeStamp(root: string): void;
export function sourcesFingerprint(root: string): string;
