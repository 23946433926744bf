import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { signDevelopmentToken, type TokenVerifier } from '../server/auth/token-verifier.js';
import { ROLES, type Role } from '../turn/types.js';
import '../server/context.js';
import { ApiError } from '../server/errors.js';
import { authenticate } from '../server/middleware/authenticate.js';
import { rateLimit } from '../server/middleware/rate-limit.js';
import type { RateLimitStore } from '../store/rate-limit-store.js';
import { loadStaticAssets, type StaticAsset } from './static-assets.js';

/** The customer-facing text of a published (approved, in-force) document. */
export interface PublishedDocument {
  readonly id: string;
  readonly title: string;
  readonly version: string;
  /** Markdown body without front matter. */
  readonly body: string;
}

export interface ConsoleOptions {
  /** The same verifier the API uses; the console's own read endpoints accept the same tokens. */
  readonly verifier: TokenVerifier;
  /** Returns the published, approved, in-force version of a document, or undefined. */
  readonly readPublishedDocument: (
    id: string,
  ) => PublishedDocument | undefined | Promise<PublishedDocument | undefined>;
  /**
   * Enables `POST /console/dev-token` and one-click demo sign-in. Pass it only in development:
   * anyone who can reach the endpoint can mint a token for any subject and role.
   */
  readonly developmentTokens?: { readonly secret: string; readonly expiresIn?: string };
  /** Per-subject limit on the console's own API endpoints. */
  readonly requestsPerMinute?: number;
  /** Where the console's rate-limit buckets live; default in process memory. */
  readonly rateLimitStore?: RateLimitStore;
  /** Where the static files live; defaults to `public/` beside this module. */
  readonly assetsDirectory?: string;
}

/** Demo identities offered for one-click sign-in in development (the seeded demo bank's customers). */
export const DEMO_PRINCIPALS: ReadonlyArray<{ subject: string; roles: readonly Role[]; label: string }> = [
  { subject: 'c_123', roles: ['customer'], label: 'Customer c_123' },
  { subject: 'c_456', roles: ['customer'], label: 'Customer c_456' },
  { subject: 'c_789', roles: ['customer'], label: 'Customer c_789' },
  { subject: 'c_999', roles: ['customer'], label: 'Customer c_999' },
  { subject: 'agent_1', roles: ['agent'], label: 'Agent agent_1' },
  { subject: 'compliance_1', roles: ['compliance'], label: 'Compliance compliance_1' },
  { subject: 'compliance_2', roles: ['compliance'], label: 'Compliance compliance_2' },
  { subject: 'analyst_1', roles: ['analyst'], label: 'Analyst analyst_1' },
];

/** Same shape the token verifier accepts, so a minted token always verifies. */
const DevelopmentTokenRequest = z
  .object({
    subject: z.string().regex(/^[A-Za-z0-9_.:@-]{1,128}$/, 'subject has unexpected characters'),
    roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length),
  })
  .strict();

const DocumentId = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
  .max(128);

const pages: Readonly<Record<string, string>> = {
  '/console/': 'chat.html',
  '/console/chat': 'chat.html',
  '/console/compliance': 'compliance.html',
  '/console/agent': 'agent.html',
  '/console/dashboard': 'dashboard.html',
};

/**
 * Registers the web console on the API's own app: three pages (customer chat, compliance
 * workspace, agent inbox) as same-origin static files, a read endpoint for published policy text
 * behind the usual bearer token, and, only when `developmentTokens` is given, a token minting
 * endpoint for demo sign-in. The pages hold no authority: every action is an API call that the
 * API authorizes by role.
 */
export function registerConsole(app: OpenAPIHono, options: ConsoleOptions): void {
  const assets = loadStaticAssets(options.assetsDirectory);
  const serve = (context: Context, asset: StaticAsset) =>
    context.body(asset.body as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': asset.contentType,
      // Always revalidate: assets change with a deploy and carry no fingerprint in their names.
      'Cache-Control': 'no-cache',
    });

  app.get('/console', (context) => context.redirect('/console/', 302));
  for (const [path, file] of Object.entries(pages)) {
    app.get(path, (context) => serve(context, assets.get(file)!));
  }
  app.get('/console/assets/:file{[a-z0-9-]+\\.(?:js|css|svg)}', (context) => {
    const asset = assets.get(context.req.param('file'));
    if (!asset) throw new ApiError('not_found', 'No such console asset.');
    return serve(context, asset);
  });

  app.get('/console/session-options', (context) =>
    context.json({
      developmentTokens: options.developmentTokens !== undefined,
      demoPrincipals: options.developmentTokens ? DEMO_PRINCIPALS : [],
    }),
  );

  app.use(
    '/console/*',
    bodyLimit({
      maxSize: 1024,
      onError: () => {
        throw new ApiError('payload_too_large', 'The request body exceeds 1024 bytes.');
      },
    }),
  );

  const development = options.developmentTokens;
  if (development) {
    app.post('/console/dev-token', async (context) => {
      const parsed = DevelopmentTokenRequest.safeParse(await context.req.json().catch(() => undefined));
      if (!parsed.success) {
        throw new ApiError('bad_request', parsed.error.issues.map((issue) => issue.message).join('; '));
      }
      const token = await signDevelopmentToken(development.secret, {
        subject: parsed.data.subject,
        roles: parsed.data.roles,
        expiresIn: development.expiresIn ?? '8h',
      });
      return context.json({ token, subject: parsed.data.subject, roles: parsed.data.roles }, 201);
    });
  }

  app.use('/console/api/*', authenticate({ verifier: options.verifier }));
  app.use(
    '/console/api/*',
    rateLimit({
      requestsPerMinute: options.requestsPerMinute ?? 120,
      ...(options.rateLimitStore && { store: options.rateLimitStore }),
    }),
  );

  app.get('/console/api/session', (context) => {
    const principal = context.get('principal');
    return context.json({ subject: principal.subject, roles: [...principal.roles] });
  });

  // Published policy text is what every customer may read, so any verified principal may fetch it;
  // drafts never pass through here.
  app.get('/console/api/documents/:id', async (context) => {
    const id = DocumentId.safeParse(context.req.param('id'));
    if (!id.success) throw new ApiError('bad_request', 'Document ids are kebab-case.');
    const document = await options.readPublishedDocument(id.data);
    if (!document) throw new ApiError('not_found', `No published document ${id.data}.`);
    return context.json({
      id: document.id,
      title: document.title,
      version: document.version,
      body: document.body,
    });
  });
}
