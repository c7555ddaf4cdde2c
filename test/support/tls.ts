/**
 * A throw-away self-signed certificate for 127.0.0.1, generated with openssl into a temp dir at
 * test time (never committed). `@databricks/sql` only speaks HTTPS, so the fake Databricks needs it.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestCert {
  readonly key: Buffer;
  readonly cert: Buffer;
}

export function makeTestCert(): TestCert {
  const dir = mkdtempSync(join(tmpdir(), "rocky-tls-"));
  const keyPath = join(dir, "key.pem");
  const certPath = join(dir, "cert.pem");
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyPath, "-out", certPath, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
    { stdio: "ignore" },
  );
  try {
    return { key: readFileSync(keyPath), cert: readFileSync(certPath) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
