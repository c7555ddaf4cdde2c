import { createPrivateKey } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";

/**
 * The server's settings from the environment, checked before Probot sees them: each mistake is
 * one line naming the variable and what to set (Probot would say "privateKey option is required"
 * for a malformed key or a missing PRIVATE_KEY_PATH, "appId option is required" for APP_ID=abc,
 * and Node a stack trace for PORT=x).
 */

export interface ServerConfig {
  readonly appId: number;
  readonly privateKey: string;
  readonly port: number;
  readonly host: string;
  readonly logLevel: string;
}

export type ConfigResult = { readonly ok: true; readonly value: ServerConfig } | { readonly ok: false; readonly problem: string };

const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"];
const KEY_HELP = `the .pem file from the App's settings ("Private keys" → "Generate a private key")`;

export function serverConfig(env: Readonly<Record<string, string | undefined>>, cwd: string): ConfigResult {
  const fail = (problem: string): ConfigResult => ({ ok: false, problem });
  const appId = env.APP_ID?.trim() ?? "";
  if (!/^\d+$/.test(appId)) return fail(`APP_ID must be the App's numeric ID (the App's settings → General → "App ID"), not "${appId}".`);
  const key = privateKey(env, cwd);
  if (!key.ok) return fail(key.problem);
  const portText = (env.PORT ?? "3000").trim();
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535) return fail(`PORT must be a TCP port number (0-65535; default 3000), not "${env.PORT}".`);
  const logLevel = (env.LOG_LEVEL ?? "info").trim().toLowerCase();
  if (!LOG_LEVELS.includes(logLevel)) return fail(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")} (default info), not "${env.LOG_LEVEL}".`);
  return { ok: true, value: { appId: Number(appId), privateKey: key.value, port, host: env.HOST || "0.0.0.0", logLevel } };
}

/** The App's private key as Probot reads it (PRIVATE_KEY: PEM, base64 PEM or `\n`-escaped; else PRIVATE_KEY_PATH), checked to be one. */
function privateKey(env: Readonly<Record<string, string | undefined>>, cwd: string): { ok: true; value: string } | { ok: false; problem: string } {
  let pem: string;
  let source: string;
  if (env.PRIVATE_KEY) {
    source = "PRIVATE_KEY";
    pem = env.PRIVATE_KEY;
    if (!pem.includes("-----BEGIN") && Buffer.from(pem, "base64").toString("base64") === pem) pem = Buffer.from(pem, "base64").toString();
    pem = pem.replace(/\\n/g, "\n");
  } else if (env.PRIVATE_KEY_PATH) {
    const path = resolve(cwd, env.PRIVATE_KEY_PATH);
    if (!existsSync(path)) return { ok: false, problem: `PRIVATE_KEY_PATH is "${env.PRIVATE_KEY_PATH}", which does not exist (from ${cwd}): set it to the path of ${KEY_HELP}, or PRIVATE_KEY to its contents.` };
    source = `the file at PRIVATE_KEY_PATH (${env.PRIVATE_KEY_PATH})`;
    try {
      pem = readFileSync(path, "utf8");
    } catch (error) {
      return { ok: false, problem: `PRIVATE_KEY_PATH "${env.PRIVATE_KEY_PATH}" cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}): set it to the path of ${KEY_HELP}.` };
    }
  } else {
    return { ok: false, problem: `PRIVATE_KEY (or PRIVATE_KEY_PATH) is not set: set it to the contents (or the path) of ${KEY_HELP}.` };
  }
  try {
    if (createPrivateKey(pem).asymmetricKeyType !== "rsa") throw new Error("not an RSA key");
  } catch {
    return { ok: false, problem: `${source} is not a PEM RSA private key: set ${source === "PRIVATE_KEY" ? "PRIVATE_KEY to the whole contents" : "PRIVATE_KEY_PATH to the path"} of ${KEY_HELP}, "-----BEGIN RSA PRIVATE KEY-----" and "-----END …" lines included.` };
  }
  return { ok: true, value: pem };
}
