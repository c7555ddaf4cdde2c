import { hash } from "node:crypto";

/**
 * SHA-1 of a text, as hex: the cache's keys and record names. The one-shot crypto.hash, not a Hash
 * object: about half the cost per call for inputs this small (a compile with a cache makes 4-6 per model).
 */
export function sha1Hex(text: string): string {
  return hash("sha1", text, "hex");
}
