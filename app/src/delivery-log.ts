import type { DeliveryLog } from "../../review/src/github/index.js";

/**
 * Webhook deliveries recorded in the lmdb state store (engine/src/state): a delivery is claimed
 * when it arrives (atomic across processes sharing the store, so a duplicate is ignored while the
 * first is still running) and forgotten when its work fails, so a redelivery after a restart does
 * nothing twice for finished work and runs failed work again. lmdb is native: it is imported only
 * here, on first use.
 */
export async function lmdbDeliveryLog(stateDir: string): Promise<DeliveryLog & { close(): Promise<void> }> {
  const { openStateStore } = await import("../../engine/src/state/state-store.js");
  const store = await openStateStore(stateDir);
  return {
    record: (id) => store.recordDelivery(id),
    forget: (id) => store.forgetDelivery(id),
    close: () => store.close(),
  };
}
