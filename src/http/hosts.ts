import { isIP } from "node:net";
import os from "node:os";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Config } from "../config.js";

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];

function bracket(address: string): string {
  return isIP(address) === 6 ? `[${address}]` : address.toLowerCase();
}

/** host:port as a browser names it, the default port of the scheme left out too. */
function forms(name: string, port: number): string[] {
  return port === 80 || port === 443 ? [`${name}:${port}`, name] : [`${name}:${port}`];
}

/**
 * The Host values a browser may use to reach this server with a session: the public URL, the addresses
 * it listens on (every interface's when bound to all), loopback names with the listening port, and
 * VERDICT_ALLOWED_HOSTS. Anything else is a name someone else chose (DNS rebinding).
 */
export function allowedHosts(app: FastifyInstance, config: Config): Set<string> {
  const ports = new Set([config.port]);
  const bound = app.server.address();
  if (bound && typeof bound === "object") ports.add(bound.port);
  const names = new Set(LOOPBACK_NAMES);
  if (config.host === "0.0.0.0" || config.host === "::") {
    for (const nets of Object.values(os.networkInterfaces()))
      for (const n of nets ?? []) names.add(bracket(n.address));
  } else names.add(bracket(config.host));
  const hosts = new Set(config.allowedHosts);
  for (const name of names) for (const port of ports) for (const f of forms(name, port)) hosts.add(f);
  if (config.publicUrl) {
    const url = new URL(config.publicUrl);
    hosts.add(url.host.toLowerCase());
  }
  return hosts;
}

/** The allowed set, computed once the server listens (the port is known then). */
export function hostCheck(app: FastifyInstance, config: Config): (req: FastifyRequest) => boolean {
  let known: { listening: boolean; hosts: Set<string> } | null = null;
  return (req) => {
    const listening = app.server.listening;
    if (!known || known.listening !== listening) known = { listening, hosts: allowedHosts(app, config) };
    return known.hosts.has(req.host.toLowerCase());
  };
}

/** The socket's peer (or, through a trusted proxy, the client it names) is this machine. */
export function fromLoopback(ip: string | null | undefined): boolean {
  return ip === "127.0.0.1" || ip === "::1" || ip === "::ffff:127.0.0.1";
}
