/**
 * Validates GraphQL requests against GitHub's published schema (@octokit/graphql-schema), as the
 * REST side validates against the OpenAPI description: the document must parse, pass graphql-js's
 * validation rules, name one operation, and its variables must coerce to their declared types.
 * GitHub's own rule for connections is checked too: `first` or `last` is required, 0 to 100.
 *
 * The schema is large (1.2 MB of SDL): it is built once per test process, on first use (about
 * 0.3 s on this machine; graphql-js's first validation against it adds about 0.05 s).
 * GitHub's SDL defines two fields of `EnterpriseOwnerInfo` twice, which graphql-js refuses, so it
 * is built with `assumeValidSDL` (the later definition wins).
 */
import { readFileSync } from "node:fs";
import {
  buildSchema,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  getNamedType,
  getOperationAST,
  getVariableValues,
  isObjectType,
  type OperationDefinitionNode,
  parse,
  TypeInfo,
  validate,
  valueFromAST,
  visit,
  visitWithTypeInfo,
} from "graphql";

let cached: GraphQLSchema | undefined;

/** GitHub's GraphQL schema, built once per process. */
export function githubSchema(): GraphQLSchema {
  if (cached) return cached;
  // The package exports only its index, which parses the 5 MB schema.json as it loads: read the SDL beside it.
  const text = readFileSync(new URL("schema.graphql", import.meta.resolve("@octokit/graphql-schema")), "utf8");
  cached = buildSchema(text, { assumeValidSDL: true });
  return cached;
}

/** One error as GitHub's GraphQL API shapes it (HTTP 200, `{ errors: [...] }`). */
export interface GitHubGraphqlError {
  readonly message: string;
  readonly type?: string;
  readonly path?: readonly (string | number)[];
  readonly locations?: readonly { readonly line: number; readonly column: number }[];
  readonly extensions?: Readonly<Record<string, unknown>>;
}

export type GraphqlValidation =
  | { readonly ok: true; readonly document: DocumentNode; readonly operation: OperationDefinitionNode; readonly variables: Record<string, unknown> }
  | { readonly ok: false; readonly errors: readonly GitHubGraphqlError[] };

/** A graphql-js error in GitHub's shape. */
export function githubError(error: GraphQLError, extra: { type?: string } = {}): GitHubGraphqlError {
  const { type, ...extensions } = (error.extensions ?? {}) as Record<string, unknown>;
  const kind = extra.type ?? (typeof type === "string" ? type : undefined);
  return {
    message: error.message,
    ...(kind ? { type: kind } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(error.locations ? { locations: error.locations.map((l) => ({ line: l.line, column: l.column })) } : {}),
    ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
  };
}

/** Checks a POST /graphql body: `{ query, variables?, operationName? }`. */
export function validateGraphql(body: unknown): GraphqlValidation {
  const request = body as { query?: unknown; variables?: unknown; operationName?: unknown } | undefined;
  if (!request || typeof request.query !== "string" || request.query.trim() === "") {
    return { ok: false, errors: [{ message: "A query attribute must be specified and must be a string." }] };
  }
  if (request.variables !== undefined && request.variables !== null && (typeof request.variables !== "object" || Array.isArray(request.variables))) {
    return { ok: false, errors: [{ message: "Variables are invalid JSON." }] };
  }
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    return { ok: false, errors: [githubError(error as GraphQLError)] };
  }
  const schema = githubSchema();
  const invalid = validate(schema, document);
  if (invalid.length > 0) return { ok: false, errors: invalid.map((e) => githubError(e)) };
  const operationName = typeof request.operationName === "string" ? request.operationName : undefined;
  const operation = getOperationAST(document, operationName);
  if (!operation) return { ok: false, errors: [{ message: operationName ? `No operation named "${operationName}"` : "An operation name is required when the document holds several operations" }] };
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], (request.variables ?? {}) as Record<string, unknown>);
  if (coerced.errors) return { ok: false, errors: coerced.errors.map((e) => githubError(e)) };
  const connectionErrors = connectionLimits(schema, document, coerced.coerced);
  if (connectionErrors.length > 0) return { ok: false, errors: connectionErrors };
  return { ok: true, document, operation, variables: coerced.coerced };
}

/**
 * GitHub's pagination rule: every field returning a `...Connection` needs `first` or `last`,
 * 0 to 100 ("Requesting 101 records on the `reviewThreads` connection exceeds the
 * `first` limit of 100 records.").
 */
function connectionLimits(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>): GitHubGraphqlError[] {
  const errors: GitHubGraphqlError[] = [];
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const field = typeInfo.getFieldDef();
        const type = field ? getNamedType(field.type) : undefined;
        if (!field || !type || !isObjectType(type) || !type.name.endsWith("Connection") || !("pageInfo" in type.getFields())) return;
        const value = (name: string) => {
          const argNode = node.arguments?.find((a) => a.name.value === name);
          const argDef = field.args.find((a) => a.name === name);
          return argNode && argDef ? (valueFromAST(argNode.value, argDef.type, variables) as number | null | undefined) : undefined;
        };
        const first = value("first");
        const last = value("last");
        const where = node.loc ? [{ line: node.loc.startToken.line, column: node.loc.startToken.column }] : undefined;
        if ((first === undefined || first === null) && (last === undefined || last === null)) {
          errors.push({ message: `You must provide a \`first\` or \`last\` value to properly paginate the \`${field.name}\` connection.`, type: "MISSING_PAGINATION_BOUNDARIES", ...(where ? { locations: where } : {}) });
        }
        for (const [name, n] of [
          ["first", first],
          ["last", last],
        ] as const) {
          if (typeof n === "number" && n > 100) {
            errors.push({ message: `Requesting ${n} records on the \`${field.name}\` connection exceeds the \`${name}\` limit of 100 records.`, type: "EXCESSIVE_PAGINATION", ...(where ? { locations: where } : {}) });
          }
          if (typeof n === "number" && n < 0) errors.push({ message: `\`${name}\` on the \`${field.name}\` connection cannot be less than zero.`, type: "INVALID_PAGINATION", ...(where ? { locations: where } : {}) });
        }
      },
    }),
  );
  return errors;
}
