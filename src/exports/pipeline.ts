/**
 * Glue for one export stream: instruction groups in (from the database, ordered by instruction),
 * selected rows through the selector, formatted lines out, one at a time. Feed the result to
 * `jsonlChunks` for an HTTP body; read `selector.summary()` afterwards for the dataset card.
 */

import type { InstructionGroup, RowOfKind, SelectionKind, Selector } from "../../battles/selection.js";
import type { JsonRecord } from "./formats.js";

export async function* exportLines<K extends SelectionKind>(
  groups: AsyncIterable<InstructionGroup> | Iterable<InstructionGroup>,
  selector: Selector<K>,
  format: (row: RowOfKind[K]) => JsonRecord[],
): AsyncGenerator<JsonRecord> {
  for await (const group of groups) {
    for (const row of selector.next(group)) yield* format(row);
  }
}
