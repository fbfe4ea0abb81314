/**
 * Reads the live OpenAPI document into the operations the fuzz drives: every path and method, its
 * path and query parameters and its request body schema per content type, with `$ref`s resolved.
 */

/** The subset of JSON Schema (as zod-openapi emits it) the generators understand. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  default?: unknown;
}

export interface Param {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: string;
  /** OpenAPI template, e.g. /v1/rounds/{id} */
  path: string;
  pathParams: Param[];
  query: Param[];
  /** content type -> schema; empty when the operation takes no body */
  bodies: Record<string, JsonSchema>;
}

interface RawParam {
  name: string;
  in: string;
  required?: boolean;
  schema?: JsonSchema;
}
interface RawOp {
  parameters?: RawParam[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}
export interface OpenApiDoc {
  paths: Record<string, Record<string, RawOp>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** Replaces `$ref`s by the component they name, depth-bounded so a recursive schema terminates. */
export function resolveRefs(schema: JsonSchema, doc: OpenApiDoc, depth = 0): JsonSchema {
  if (depth > 12) return {};
  if (schema.$ref) {
    const name = schema.$ref.replace("#/components/schemas/", "");
    const target = doc.components?.schemas?.[name] ?? {};
    return resolveRefs(target, doc, depth + 1);
  }
  const out: JsonSchema = { ...schema };
  const r = (s: JsonSchema) => resolveRefs(s, doc, depth + 1);
  if (schema.properties) out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, r(v)]));
  if (schema.items) out.items = r(schema.items);
  if (typeof schema.additionalProperties === "object") out.additionalProperties = r(schema.additionalProperties);
  for (const key of ["anyOf", "oneOf", "allOf"] as const) {
    const list = schema[key];
    if (list) out[key] = list.map(r);
  }
  return out;
}

const METHODS = new Set(["get", "post", "put", "patch", "delete"]);

export function operationsOf(doc: OpenApiDoc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, byMethod] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(byMethod)) {
      if (!METHODS.has(method)) continue;
      const params = (op.parameters ?? []).map((p) => ({ in: p.in, name: p.name, required: p.required ?? false, schema: resolveRefs(p.schema ?? {}, doc) }));
      const bodies: Record<string, JsonSchema> = {};
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) bodies[type] = resolveRefs(media.schema ?? {}, doc);
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === "path"),
        query: params.filter((p) => p.in === "query"),
        bodies,
      });
    }
  }
  return ops;
}
