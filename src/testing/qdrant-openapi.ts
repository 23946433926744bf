/**
 * Qdrant's published REST API description (OpenAPI 3.0, v1.18.0, Apache-2.0) as a strict validator
 * for the requests the adapter sends and the responses the stand-in returns.
 *
 * The description lives outside the repository (`../shared/qdrant/openapi-v1.18.0.json`, see the
 * SOURCE.txt beside it); `loadQdrantApiDescription` returns undefined when it is absent so the
 * suites can skip with a reason. "Strict" means every object schema that lists its properties
 * rejects fields it does not list: Qdrant itself ignores unknown fields almost everywhere, so a
 * misspelt or unsupported option would otherwise be silently dropped by the server.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Where the description is looked for: `QDRANT_OPENAPI_PATH`, else `shared/qdrant/` beside the
 * repository or one level further up (a checkout kept in a sub-folder of the workspace).
 */
export const QDRANT_API_DESCRIPTION_PATH =
  process.env.QDRANT_OPENAPI_PATH ??
  [resolve(repositoryRoot, '../shared'), resolve(repositoryRoot, '../../shared')]
    .map((folder) => resolve(folder, 'qdrant/openapi-v1.18.0.json'))
    .find((candidate) => existsSync(candidate)) ??
  resolve(repositoryRoot, '../shared/qdrant/openapi-v1.18.0.json');

type JsonObject = Record<string, unknown>;

interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required?: boolean;
  readonly schema?: JsonObject;
}

interface Operation {
  readonly operationId: string;
  readonly method: string;
  readonly pattern: RegExp;
  readonly parameters: readonly Parameter[];
  readonly body?: JsonObject;
  readonly responses: Record<string, JsonObject | undefined>;
}

/** One HTTP exchange as seen on the wire. */
export interface HttpRequestShape {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** Strict validator over the published description. */
export interface QdrantApiDescription {
  /** The operation id the request matches, and every way it breaks the description (empty when valid). */
  checkRequest(request: HttpRequestShape): { operationId?: string; problems: string[] };
  /** Every way a response body breaks the description of `operationId` for `status`. */
  checkResponse(operationId: string, status: number, body: unknown): string[];
}

/** Loads the description, or returns undefined when the file is not on this machine. */
export function loadQdrantApiDescription(
  path = QDRANT_API_DESCRIPTION_PATH,
): QdrantApiDescription | undefined {
  if (!existsSync(path)) return undefined;
  return compileDescription(JSON.parse(readFileSync(path, 'utf8')) as JsonObject);
}

function compileDescription(document: JsonObject): QdrantApiDescription {
  const components = strictened((document.components as JsonObject).schemas) as JsonObject;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: 'qdrant', components: { schemas: components } });
  const compiled = new Map<string, ValidateFunction>();
  const validatorFor = (schema: JsonObject): ValidateFunction => {
    const key = JSON.stringify(schema);
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(rebased(strictened(schema)) as JsonObject);
      compiled.set(key, validate);
    }
    return validate;
  };
  const operations = operationsOf(document);

  return {
    checkRequest({ method, path, query, body }) {
      const operation = operations.find(
        (candidate) => candidate.method === method.toLowerCase() && candidate.pattern.test(path),
      );
      if (!operation) return { problems: [`${method} ${path} is not an operation of the API`] };
      const problems: string[] = [];
      for (const [name, value] of Object.entries(query)) {
        const parameter = operation.parameters.find((entry) => entry.in === 'query' && entry.name === name);
        if (!parameter) {
          problems.push(`query parameter "${name}" is not accepted by ${operation.operationId}`);
          continue;
        }
        if (parameter.schema) {
          problems.push(...errorsOf(validatorFor(parameter.schema), fromQueryString(value), `query.${name}`));
        }
      }
      if (operation.body) {
        if (body === undefined) problems.push(`${operation.operationId} requires a JSON body`);
        else problems.push(...errorsOf(validatorFor(operation.body), body, 'body'));
      } else if (body !== undefined) {
        problems.push(`${operation.operationId} takes no body`);
      }
      return { operationId: operation.operationId, problems };
    },
    checkResponse(operationId, status, body) {
      const operation = operations.find((candidate) => candidate.operationId === operationId);
      if (!operation) return [`unknown operation ${operationId}`];
      const schema =
        operation.responses[String(status)] ??
        (status >= 400 && status < 500 ? operation.responses['4XX'] : undefined) ??
        operation.responses.default;
      if (!schema) return [`${operationId} describes no response with status ${status}`];
      return errorsOf(validatorFor(schema), body, 'response');
    },
  };
}

function operationsOf(document: JsonObject): Operation[] {
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(document.paths as Record<string, JsonObject>)) {
    const pattern = new RegExp(
      `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`,
    );
    for (const [method, value] of Object.entries(item)) {
      const operation = value as JsonObject;
      if (!operation.operationId) continue;
      const responses: Record<string, JsonObject | undefined> = {};
      for (const [status, response] of Object.entries(operation.responses as Record<string, JsonObject>)) {
        responses[status] = jsonSchemaOf(response);
      }
      operations.push({
        operationId: operation.operationId as string,
        method,
        pattern,
        parameters: (operation.parameters as Parameter[] | undefined) ?? [],
        body: operation.requestBody ? jsonSchemaOf(operation.requestBody as JsonObject) : undefined,
        responses,
      });
    }
  }
  return operations;
}

function jsonSchemaOf(holder: JsonObject): JsonObject | undefined {
  const content = holder.content as Record<string, { schema?: JsonObject }> | undefined;
  return content?.['application/json']?.schema;
}

/**
 * OpenAPI 3.0 → what ajv checks strictly: listed properties close the object, and a bare
 * `{ nullable: true }` alternative (the description's way of saying "or null") means only null,
 * instead of the empty schema that would accept anything.
 */
function strictened(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictened);
  if (!node || typeof node !== 'object') return node;
  const source = node as JsonObject;
  const keys = Object.keys(source).filter((key) => !['description', 'default', 'example'].includes(key));
  if (keys.length === 1 && keys[0] === 'nullable' && source.nullable === true) return { type: 'null' };
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(source)) {
    // Property names are data, not schemas: only their values are walked.
    result[key] =
      key === 'properties'
        ? Object.fromEntries(
            Object.entries(value as JsonObject).map(([name, inner]) => [name, strictened(inner)]),
          )
        : strictened(value);
  }
  if (result.properties && result.additionalProperties === undefined) result.additionalProperties = false;
  return result;
}

/** Points `#/components/schemas/X` at the document registered as `qdrant`. */
function rebased(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rebased);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node as JsonObject).map(([key, value]) =>
      key === '$ref' && typeof value === 'string' && value.startsWith('#/')
        ? [key, `qdrant${value}`]
        : [key, rebased(value)],
    ),
  );
}

function fromQueryString(value: string): unknown {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return value;
}

function errorsOf(validate: ValidateFunction, value: unknown, where: string): string[] {
  if (validate(value)) return [];
  // anyOf reports every failed branch; the unknown-field errors are the ones worth reading first.
  return (validate.errors ?? []).map((error) => {
    const extra =
      error.keyword === 'additionalProperties' ? ` (${String(error.params.additionalProperty)})` : '';
    return `${where}${error.instancePath} ${error.message ?? error.keyword}${extra}`;
  });
}
