// Loaded into the soak server with --import (bench/soak.ts): answers each message on the IPC channel
// with the process's memory, so the bench reads the heap without anything new served over HTTP.
process.on("message", () => process.send?.(process.memoryUsage()));
