/**
 * Axolotl dataset configs for exported files (docs.axolotl.ai, dataset formats): SFT rows load with
 * the `chat_template` strategy over their `messages`, DPO pairs with `chat_template.default` over
 * `messages` / `chosen` / `rejected` under `rl: dpo`. The object is the config's YAML as JSON (JSON is
 * YAML), ready to merge into an Axolotl config file.
 */
import type { SelectionKind } from "./select-types.js";

/** Message keys of every role/content format this service writes. */
const MESSAGE_MAPPING = { role: "role", content: "content" };

export interface AxolotlDataset {
  path: string;
  ds_type: "json";
  type: "chat_template" | "chat_template.default";
  split?: "train";
  field_messages: string;
  field_chosen?: string;
  field_rejected?: string;
  message_property_mappings: typeof MESSAGE_MAPPING;
  roles_to_train?: string[];
}

export interface AxolotlConfig {
  rl?: "dpo";
  datasets: AxolotlDataset[];
}

/** The Axolotl config for an `axolotl` export file, or null for kinds Axolotl has no format of here. */
export function axolotlConfig(kind: SelectionKind, fileName: string): AxolotlConfig | null {
  if (kind === "sft") {
    // Loss on the assistant turns only: the prompt is the instruction, not something to imitate.
    return { datasets: [{ path: fileName, ds_type: "json", type: "chat_template", field_messages: "messages", message_property_mappings: { ...MESSAGE_MAPPING }, roles_to_train: ["assistant"] }] };
  }
  if (kind === "dpo") {
    const dataset: AxolotlDataset = {
      path: fileName,
      ds_type: "json",
      split: "train",
      type: "chat_template.default",
      field_messages: "messages",
      field_chosen: "chosen",
      field_rejected: "rejected",
      message_property_mappings: { ...MESSAGE_MAPPING },
    };
    return { rl: "dpo", datasets: [dataset] };
  }
  return null;
}
