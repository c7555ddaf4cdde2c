import http from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware, type Probot } from "probot";
import { type AppDeps, createApp } from "./create-app.js";

/**
 * An HTTP server for the app: Probot's middleware (signature checked on the raw body, 400 on a
 * mismatch) at /api/github/webhooks (and at / for an App registered through the manifest flow),
 * and /healthz.
 */
const WEBHOOK_PATH = "/api/github/webhooks";
export interface RunningApp {
  readonly url: string;
  readonly port: number;
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startAppServer(probot: Probot, deps: AppDeps, options: { readonly port?: number; readonly host?: string } = {}): Promise<RunningApp> {
  const app = createApp(deps);
  const middleware = await createNodeMiddleware(app.appFn, { probot });
  const server = http.createServer((req, res) => {
    if (req.url === "/healthz") {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      return;
    }
    // Probot's manifest flow registers the App with the set-up page's address + "/" as its
    // webhook URL: deliveries there are handled as at /api/github/webhooks.
    if (req.method === "POST" && (req.url === "/" || req.url?.startsWith("/?")) && req.headers["x-github-event"] !== undefined) req.url = WEBHOOK_PATH;
    void middleware(req, res, () => {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    port,
    idle: () => app.idle(),
    close: async () => {
      await app.idle();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
