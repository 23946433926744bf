/**
 * A fault-injecting stand-in for the Qdrant REST API on 127.0.0.1:0, for the adapter's tests.
 *
 * It implements only the operations the adapter uses, with simplified ranking (dot products, no
 * IDF, no real RRF): ranking fidelity is the live contract suite's job. What it is for: every
 * request is checked against the published API description, every response it sends is checked
 * too, and faults (5xx, 400/422, slow answers, a collection deleted behind the adapter's back)
 * can be queued per operation.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { QdrantApiDescription } from './qdrant-openapi.js';

type JsonObject = Record<string, unknown>;

/** A request as received, with the operation it matched and how it breaks the description. */
export interface RecordedQdrantRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly operationId?: string;
  readonly problems: readonly string[];
}

/** A queued fault: the next `times` requests to `operationId` get it instead of the real answer. */
export interface QdrantFault {
  readonly operationId: string;
  /** HTTP status to answer with (with a Qdrant-style error body). */
  readonly status?: number;
  readonly errorText?: string;
  /** Hold the answer this long first (longer than the client timeout simulates a hang). */
  readonly delayMs?: number;
  readonly times?: number;
  /** Let this many matching requests through untouched first (a failure part-way through a series). */
  readonly after?: number;
}

interface StoredPoint {
  id: string | number;
  vector: JsonObject;
  payload: JsonObject;
}

interface StoredCollection {
  readonly config: JsonObject;
  readonly payloadSchema: Map<string, string>;
  readonly points: Map<string, StoredPoint>;
}

/** The stand-in server; `close()` it after the test. */
export class QdrantStandIn {
  readonly requests: RecordedQdrantRequest[] = [];
  /** Responses the stand-in sent that break the description (must stay empty). */
  readonly responseProblems: string[] = [];
  readonly collections = new Map<string, StoredCollection>();
  readonly #faults: Array<QdrantFault & { remaining: number; skipped: number }> = [];
  readonly #server: Server;
  readonly #api: QdrantApiDescription;

  private constructor(api: QdrantApiDescription) {
    this.#api = api;
    this.#server = createServer((request, response) => {
      void this.#handle(request, response);
    });
  }

  /** Starts a stand-in on an ephemeral local port. */
  static async start(api: QdrantApiDescription): Promise<QdrantStandIn> {
    const standIn = new QdrantStandIn(api);
    await new Promise<void>((resolve) => standIn.#server.listen(0, '127.0.0.1', resolve));
    return standIn;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Queues a fault for the next matching request(s). */
  inject(fault: QdrantFault): void {
    this.#faults.push({ ...fault, remaining: fault.times ?? 1, skipped: 0 });
  }

  /** Forgets every queued fault and recorded request. */
  reset(): void {
    this.#faults.length = 0;
    this.requests.length = 0;
  }

  /** Requests whose method, path, query or body break the description. */
  invalidRequests(): RecordedQdrantRequest[] {
    return this.requests.filter((request) => request.problems.length > 0);
  }

  /** Requests that matched `operationId`. */
  requestsTo(operationId: string): RecordedQdrantRequest[] {
    return this.requests.filter((request) => request.operationId === operationId);
  }

  /** Seeds a collection as another process (or an operator) would have created it. */
  seedCollection(name: string, config: JsonObject, payloadIndexes: readonly string[] = []): void {
    this.collections.set(name, {
      config,
      payloadSchema: new Map(payloadIndexes.map((field) => [field, 'keyword'])),
      points: new Map(),
    });
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const raw = await readBody(request);
    const body = raw.length > 0 ? (JSON.parse(raw) as unknown) : undefined;
    const query = Object.fromEntries(url.searchParams.entries());
    const method = request.method ?? 'GET';
    const { operationId, problems } = this.#api.checkRequest({ method, path: url.pathname, query, body });
    this.requests.push({ method, path: url.pathname, query, body, operationId, problems });
    const started = Date.now();
    const send = (status: number, result: unknown, errorText?: string) => {
      const payload =
        status === 200
          ? { result, status: 'ok', time: (Date.now() - started) / 1000 }
          : { status: { error: errorText ?? 'error' }, time: (Date.now() - started) / 1000 };
      if (operationId) {
        for (const problem of this.#api.checkResponse(operationId, status, payload)) {
          this.responseProblems.push(`${operationId} ${status}: ${problem}`);
        }
      }
      if (response.writableEnded || response.destroyed) return;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(payload));
    };
    const fault = operationId ? this.#takeFault(operationId) : undefined;
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.status) return send(fault.status, null, fault.errorText ?? `Service error (${fault.status})`);
    if (!operationId) return send(404, null, `Not found: ${method} ${url.pathname}`);
    try {
      const name = decodeURIComponent(url.pathname.split('/')[2] ?? '');
      const outcome = this.#operate(operationId, name, body as JsonObject);
      send(outcome.status ?? 200, outcome.result, outcome.errorText);
    } catch (error) {
      send(500, null, `Service internal error: ${(error as Error).message}`);
    }
  }

  #takeFault(operationId: string): QdrantFault | undefined {
    const fault = this.#faults.find((candidate) => candidate.operationId === operationId);
    if (!fault) return undefined;
    if (fault.skipped < (fault.after ?? 0)) {
      fault.skipped += 1;
      return undefined;
    }
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#faults.splice(this.#faults.indexOf(fault), 1);
    return fault;
  }

  #operate(
    operationId: string,
    name: string,
    body: JsonObject,
  ): { status?: number; result?: unknown; errorText?: string } {
    const collection = this.collections.get(name);
    const missing = { status: 404, errorText: `Not found: Collection \`${name}\` doesn't exist!` };
    switch (operationId) {
      case 'collection_exists':
        return { result: { exists: collection !== undefined } };
      case 'create_collection':
        if (collection)
          return { status: 409, errorText: `Wrong input: Collection \`${name}\` already exists!` };
        this.seedCollection(name, body);
        return { result: true };
      case 'delete_collection':
        return { result: this.collections.delete(name) };
    }
    if (!collection) return missing;
    switch (operationId) {
      case 'get_collection':
        return { result: collectionInfo(collection) };
      case 'create_field_index':
        collection.payloadSchema.set(String(body.field_name), String(body.field_schema));
        return { result: { operation_id: 1, status: 'completed' } };
      case 'upsert_points':
        for (const point of body.points as StoredPoint[]) collection.points.set(String(point.id), point);
        return { result: { operation_id: 1, status: 'completed' } };
      case 'delete_points':
        for (const point of selected(collection, body)) collection.points.delete(String(point.id));
        return { result: { operation_id: 1, status: 'completed' } };
      case 'scroll_points':
        return { result: scrolled(collection, body) };
      case 'query_points':
        return { result: { points: queried(collection, body) } };
      default:
        return { status: 404, errorText: `The stand-in does not implement ${operationId}` };
    }
  }
}

function collectionInfo(collection: StoredCollection): JsonObject {
  return {
    status: 'green',
    optimizer_status: 'ok',
    segments_count: 1,
    points_count: collection.points.size,
    indexed_vectors_count: 0,
    config: {
      params: {
        vectors: collection.config.vectors ?? {},
        shard_number: 1,
        replication_factor: 1,
        write_consistency_factor: 1,
        on_disk_payload: true,
        ...(collection.config.sparse_vectors ? { sparse_vectors: collection.config.sparse_vectors } : {}),
      },
      hnsw_config: { m: 16, ef_construct: 100, full_scan_threshold: 10000, max_indexing_threads: 0 },
      optimizer_config: {
        deleted_threshold: 0.2,
        vacuum_min_vector_number: 1000,
        default_segment_number: 0,
        flush_interval_sec: 5,
      },
      wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0 },
    },
    payload_schema: Object.fromEntries(
      [...collection.payloadSchema].map(([field, schema]) => [field, { data_type: schema, points: 0 }]),
    ),
  };
}

function selected(collection: StoredCollection, body: JsonObject): StoredPoint[] {
  if (Array.isArray(body.points)) {
    return body.points.flatMap((id) => collection.points.get(String(id)) ?? []);
  }
  return [...collection.points.values()].filter((point) => matches(point, body.filter as JsonObject));
}

function scrolled(collection: StoredCollection, body: JsonObject): JsonObject {
  const limit = Number(body.limit ?? 10);
  const ordered = [...collection.points.values()]
    .filter((point) => matches(point, body.filter as JsonObject | undefined))
    .sort((left, right) => String(left.id).localeCompare(String(right.id)));
  const start = body.offset === undefined ? 0 : ordered.findIndex((point) => point.id === body.offset);
  const page = ordered.slice(Math.max(start, 0), Math.max(start, 0) + limit);
  const next = ordered[Math.max(start, 0) + limit];
  return {
    points: page.map((point) => ({ id: point.id, payload: point.payload })),
    next_page_offset: next ? next.id : null,
  };
}

/** Ranks by the first prefetch's (or the query's) vector with a plain dot product. */
function queried(collection: StoredCollection, body: JsonObject): JsonObject[] {
  const prefetch = (body.prefetch as JsonObject[] | undefined)?.find((entry) => entry.using === 'dense');
  const source = prefetch ?? body;
  const vector = source.query;
  const using = String(source.using ?? '');
  return [...collection.points.values()]
    .filter((point) => matches(point, body.filter as JsonObject | undefined))
    .map((point) => ({
      id: point.id,
      payload: point.payload,
      score: score(point.vector[using], vector),
      version: 1,
    }))
    .sort((left, right) => right.score - left.score)
    .slice(0, Number(body.limit ?? 10));
}

function score(stored: unknown, query: unknown): number {
  if (Array.isArray(stored) && Array.isArray(query)) {
    return stored.reduce(
      (sum: number, value: number, position) => sum + value * Number(query[position] ?? 0),
      0,
    );
  }
  const sparseStored = stored as { indices?: number[]; values?: number[] } | undefined;
  const sparseQuery = query as { indices?: number[]; values?: number[] } | undefined;
  if (!sparseStored?.indices || !sparseQuery?.indices) return 0;
  let total = 0;
  sparseQuery.indices.forEach((index, position) => {
    const found = sparseStored.indices!.indexOf(index);
    if (found >= 0) total += sparseStored.values![found]! * sparseQuery.values![position]!;
  });
  return total;
}

/**
 * The filter subset the adapter sends: `must` of `match.value`, `match.any` and `range`, and
 * `must_not` of those or `has_id`.
 */
function matches(point: StoredPoint, filter: JsonObject | undefined): boolean {
  if (!filter) return true;
  const must = (filter.must as JsonObject[] | undefined) ?? [];
  const mustNot = (filter.must_not as JsonObject[] | undefined) ?? [];
  return (
    must.every((condition) => holds(point, condition)) &&
    !mustNot.some((condition) => holds(point, condition))
  );
}

function holds(point: StoredPoint, condition: JsonObject): boolean {
  if (Array.isArray(condition.has_id)) return condition.has_id.map(String).includes(String(point.id));
  const value = point.payload[String(condition.key)];
  const match = condition.match as JsonObject | undefined;
  const range = condition.range as Record<string, number> | undefined;
  if (match && 'value' in match) return value === match.value;
  if (match && Array.isArray(match.any)) return match.any.includes(value);
  if (range) {
    const number = Number(value);
    if (range.lte !== undefined && !(number <= range.lte)) return false;
    if (range.gte !== undefined && !(number >= range.gte)) return false;
    return true;
  }
  return false;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    request.on('error', reject);
  });
}
