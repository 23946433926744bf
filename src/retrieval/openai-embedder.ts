import OpenAI from 'openai';
import { type Embedder, normalizeInPlace } from './embedder.js';

export interface OpenAIEmbedderOptions {
  /** e.g. `text-embedding-3-small`. */
  readonly model: string;
  /** Vector size the model returns (or is asked for, for models that accept `dimensions`). */
  readonly dimensions: number;
  readonly apiKey?: string;
  /** Any OpenAI-compatible endpoint (Azure-style gateways, local servers). */
  readonly baseURL?: string;
  /** Texts per request; the API accepts up to 2048 inputs, smaller batches keep requests small. */
  readonly batchSize?: number;
  /** Send `dimensions` to the API (text-embedding-3 models shorten vectors on request). */
  readonly requestDimensions?: boolean;
  /** Injected client, for tests and for sharing one client across the app. */
  readonly client?: Pick<OpenAI, 'embeddings'>;
}

/** Embeddings from the OpenAI API (or a compatible one), batched, normalized to unit length. */
export class OpenAIEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  private readonly client: Pick<OpenAI, 'embeddings'>;
  private readonly model: string;
  private readonly batchSize: number;
  private readonly requestDimensions: boolean;

  constructor({
    model,
    dimensions,
    apiKey,
    baseURL,
    batchSize = 96,
    requestDimensions = false,
    client,
  }: OpenAIEmbedderOptions) {
    if (!client && !apiKey) {
      throw new Error(
        'OpenAIEmbedder needs an API key: pass it using the `apiKey` option or set OPENAI_API_KEY, or leave EMBEDDINGS_MODEL unset to use the offline retrieval path.',
      );
    }
    this.client = client ?? new OpenAI({ apiKey, baseURL });
    this.model = model;
    this.dimensions = dimensions;
    this.batchSize = batchSize;
    this.requestDimensions = requestDimensions;
    this.id = `openai:${model}:${dimensions}`;
  }

  async embedDocuments(texts: readonly string[]): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      vectors.push(...(await this.embedBatch(texts.slice(start, start + this.batchSize))));
    }
    return vectors;
  }

  async embedQuery(text: string): Promise<Float32Array> {
    const [vector] = await this.embedBatch([text]);
    return vector!;
  }

  private async embedBatch(texts: readonly string[]): Promise<Float32Array[]> {
    const response = await this.client.embeddings.create({
      model: this.model,
      input: [...texts],
      ...(this.requestDimensions ? { dimensions: this.dimensions } : {}),
    });
    const ordered = [...response.data].sort((left, right) => left.index - right.index);
    if (ordered.length !== texts.length) {
      throw new Error(`Embedding API returned ${ordered.length} vectors for ${texts.length} inputs.`);
    }
    return ordered.map((item) => {
      if (item.embedding.length !== this.dimensions) {
        throw new Error(
          `Embedding model ${this.model} returned ${item.embedding.length} dimensions; configure EMBEDDINGS_DIMENSIONS=${item.embedding.length}.`,
        );
      }
      return normalizeInPlace(Float32Array.from(item.embedding));
    });
  }
}
