/**
 * A provider's batch interface through the openai SDK: upload a JSONL file (`files.create`, purpose
 * "batch"), create a batch with our `metadata.local_id`, retrieve it, find it again by that id
 * (`batches.list`, assumed newest first as OpenAI lists them), read its output and error files
 * (`files.content`), cancel it. OpenAI, servers that implement its batch API, and the simulator speak
 * this protocol; vLLM's OpenAI server does not (no /v1/files or /v1/batches: it answers 404, which the
 * coordinator turns into a failed request, not a retry). Errors are thrown to the coordinator.
 */
import OpenAI, { toFile } from "openai";
import { keepAliveFetch } from "./http-fetch.js";
import { BATCH_ENDPOINT, COMPLETION_WINDOW } from "./batch-protocol.js";
import { OPENAI_DEFAULT_BASE_URL } from "./openai-adapter.js";

export interface BatchView {
  id: string;
  status: string;
  inputFileId: string;
  outputFileId: string | null;
  errorFileId: string | null;
  metadata: Record<string, string> | null;
}

export interface BatchClient {
  submit(lines: readonly string[], localId: string): Promise<BatchView>;
  retrieve(id: string): Promise<BatchView>;
  /** The batch created with this local id, if the provider has one (a submission interrupted after its create). */
  findByLocalId(localId: string, createdAfterSec: number): Promise<BatchView | null>;
  content(fileId: string): Promise<string>;
  cancel(id: string): Promise<BatchView>;
}

const view = (b: OpenAI.Batches.Batch): BatchView => ({
  id: b.id,
  status: b.status,
  inputFileId: b.input_file_id,
  outputFileId: b.output_file_id ?? null,
  errorFileId: b.error_file_id ?? null,
  metadata: (b.metadata as Record<string, string> | null | undefined) ?? null,
});

export function createBatchClient(baseUrl: string | null, apiKey: string | undefined, timeoutMs = 120_000): BatchClient {
  // The SDK's own fetch: a multipart upload is a streamed body, and batch calls are few.
  const client = new OpenAI({ baseURL: baseUrl ?? OPENAI_DEFAULT_BASE_URL, apiKey: apiKey ?? "no-key", maxRetries: 2, timeout: timeoutMs, fetch: keepAliveFetch });
  return {
    async submit(lines, localId) {
      const file = await client.files.create({ file: await toFile(Buffer.from(lines.map((l) => `${l}\n`).join("")), `matrix-arena-${localId}.jsonl`), purpose: "batch" });
      const b = await client.batches.create({ input_file_id: file.id, endpoint: BATCH_ENDPOINT, completion_window: COMPLETION_WINDOW, metadata: { local_id: localId, source: "matrix-arena" } });
      return view(b);
    },
    retrieve: async (id) => view(await client.batches.retrieve(id)),
    async findByLocalId(localId, createdAfterSec) {
      // Newest first: stop at batches older than the submission.
      for await (const b of client.batches.list({ limit: 100 })) {
        if (b.metadata?.local_id === localId) return view(b);
        if (b.created_at < createdAfterSec) break;
      }
      return null;
    },
    content: async (fileId) => (await client.files.content(fileId)).text(),
    cancel: async (id) => view(await client.batches.cancel(id)),
  };
}
