import type { DeliveryLog } from "../../review/src/github/index.js";

/**
 * Webhook deliveries recorded in the lmdb state store (engine/src/state), so a redelivery is
 * ignored even after a restart and across processes sharing the store. lmdb is native: it is
 * imported only here, on first use.
 */
export async function lmdbDeliveryLog(stateDir: string): Promise<DeliveryLog & { close(): Promise<void> }> {
  const { openStateStore } = await import("../../engine/src/state/state-store.js");
  const store = await openStateStore(stateDir);
  return {
    record: (id) => store.recordDelivery(id),
    close: () => store.close(),
  };
}
