/** The gateway's `BatchQueue` on the database (db/batch-store.ts). */
import type { Db } from "../../db/client.js";
import { consumeBatchRequest, enqueueBatchRequest, findBatchRequest, requeueCancelled } from "../../db/batch-store.js";
import type { BatchEntry, BatchQueue } from "../gateway/types.js";

export function createDbBatchQueue(db: Db): BatchQueue {
  return {
    async find(key) {
      const row = await findBatchRequest(db, key);
      return row ? { state: row.state as BatchEntry["state"], result: row.result ?? null, error: row.error } : null;
    },
    enqueue: (r) => enqueueBatchRequest(db, r),
    requeue: (key, reserved) => requeueCancelled(db, key, reserved),
    consume: (key) => consumeBatchRequest(db, key),
  };
}
