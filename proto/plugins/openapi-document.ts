/**
 * Shapes twirp-ts's OpenAPI output (one document per service, paths without the `/twirp` prefix,
 * the whole comment as `summary`, nested messages left undefined) into the one document Outreach
 * serves at `GET /openapi.yaml`. Pure: documents in, document out.
 */

/** A JSON-like OpenAPI fragment. */
export type Node = { [key: string]: unknown };

/** One service's document as twirp-ts writes it. */
export interface ServiceDocument {
  readonly info: { readonly title: string; readonly description?: string };
  readonly paths: Record<string, Node>;
  readonly components: { readonly schemas: Record<string, Node> };
}

/** How the combined document describes the service as a whole. */
export interface CombineOptions {
  readonly title: string;
  readonly version: string;
  readonly description: string;
  /** The services guarded by the operator's admin key instead of a tenant key. */
  readonly adminServices: readonly string[];
  /** The order services (tags and paths) appear in; others follow, by name. */
  readonly serviceOrder: readonly string[];
  /** Schemas for referenced types twirp-ts does not define (well-known types), by name. */
  readonly extraSchemas: Record<string, Node>;
}

const TWIRP_PREFIX = '/twirp';

/** The Twirp error body every RPC may answer with, with Twirp's HTTP status table. */
const TWIRP_ERROR_SCHEMA: Node = {
  type: 'object',
  description: 'A Twirp error. The HTTP status follows Twirp\'s table (400 invalid_argument/malformed, 401 unauthenticated, 403 permission_denied, 404 not_found/bad_route, 409 already_exists, 412 failed_precondition, 429 resource_exhausted, 500 internal, 503 unavailable, …).',
  required: ['code', 'msg'],
  properties: {
    code: {
      type: 'string',
      description: 'The Twirp error code.',
      enum: [
        'canceled', 'unknown', 'invalid_argument', 'malformed', 'deadline_exceeded', 'not_found', 'bad_route',
        'already_exists', 'permission_denied', 'unauthenticated', 'resource_exhausted', 'failed_precondition',
        'aborted', 'out_of_range', 'unimplemented', 'internal', 'unavailable', 'data_loss',
      ],
    },
    msg: { type: 'string', description: 'What went wrong, for a human. Never carries SQL, driver text or a stack.' },
    meta: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Details as strings: `argument` names the offending field of an `invalid_argument`; `existing_message_id` and friends come with `already_exists`; `retry_after_ms` with `resource_exhausted`.',
    },
  },
};

/**
 * Combines the per-service documents: paths under `/twirp`, tagged by service, each with its
 * error response and its key; `summary` the first sentence and `description` the whole comment;
 * every schema once, typed as an object, sorted by name. Throws when a `$ref` would dangle.
 */
export function combineDocuments(services: readonly ServiceDocument[], schemaDocs: readonly ServiceDocument[], options: CombineOptions): Node {
  const tags: Node[] = [];
  const paths: Record<string, Node> = {};
  const schemas: Record<string, Node> = { ...options.extraSchemas, TwirpError: TWIRP_ERROR_SCHEMA };
  for (const doc of [...services, ...schemaDocs]) {
    for (const [name, schema] of Object.entries(doc.components.schemas)) schemas[name] = objectSchema(schema);
  }
  const rank = (doc: ServiceDocument): number => {
    const i = options.serviceOrder.indexOf(doc.info.title);
    return i < 0 ? options.serviceOrder.length : i;
  };
  const ordered = [...services].sort((a, b) => rank(a) - rank(b) || a.info.title.localeCompare(b.info.title));
  for (const doc of ordered) {
    const service = doc.info.title;
    tags.push({ name: service, description: tidy(doc.info.description ?? '') });
    const admin = options.adminServices.includes(service);
    for (const [path, item] of Object.entries(doc.paths)) {
      paths[`${TWIRP_PREFIX}${path}`] = { post: operation(item.post as Node, service, admin) };
    }
  }
  const document: Node = {
    openapi: '3.0.3',
    info: { title: options.title, version: options.version, description: tidy(options.description) },
    tags,
    security: [{ apiKey: [] }],
    paths,
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'A tenant API key: `Authorization: Bearer <key>`. `Authorization: Token <key>` and the bare `Authorization: <key>` are accepted too.',
        },
        adminKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'The operator\'s admin key (`OUTREACH_ADMIN_KEY`), in the same header forms as an API key.',
        },
      },
      responses: {
        TwirpError: {
          description: 'A Twirp error.',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/TwirpError' } } },
        },
      },
      schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))),
    },
  };
  const dangling = danglingRefs(document, schemas);
  if (dangling.length > 0) throw new Error(`the OpenAPI document refers to undefined schemas: ${dangling.join(', ')}`);
  return document;
}

function operation(post: Node, service: string, admin: boolean): Node {
  const text = tidy(String(post.summary ?? ''));
  const { summary: _summary, responses, ...rest } = post;
  return {
    tags: [service],
    summary: firstSentence(text),
    description: text,
    ...rest,
    ...(admin ? { security: [{ adminKey: [] }] } : {}),
    responses: { ...(responses as Node), default: { $ref: '#/components/responses/TwirpError' } },
  };
}

/** A message schema as an explicit object, its descriptions tidied. */
function objectSchema(schema: Node): Node {
  const tidied = tidyDescriptions(schema) as Node;
  return 'properties' in tidied ? { type: 'object', ...tidied } : tidied;
}

function tidyDescriptions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tidyDescriptions);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key, key === 'description' && typeof v === 'string' ? tidy(v) : tidyDescriptions(v)]),
  );
}

/**
 * A proto comment as Markdown text: the space after each line's `//` removed, and the lines of a
 * paragraph joined (list items keep their own lines), so that YAML can fold it cleanly.
 */
export function tidy(comment: string): string {
  const lines: string[] = [];
  for (const raw of comment.split('\n')) {
    const line = raw.replace(/^ /, '').trimEnd();
    const last = lines.length - 1;
    if (last >= 0 && lines[last] !== '' && line !== '' && !/^\s*([-*]|\d+\.)\s/.test(line)) lines[last] += ` ${line.trim()}`;
    else lines.push(line);
  }
  return lines.join('\n').trim();
}

/** The comment's first sentence, on one line, for an operation's `summary`. */
export function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const end = /[.!?](\s|$)/.exec(flat);
  return end === null ? flat : flat.slice(0, end.index + 1);
}

function danglingRefs(document: Node, schemas: Record<string, Node>): string[] {
  const refs = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (key === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')) refs.add(v.slice('#/components/schemas/'.length));
        else walk(v);
      }
    }
  };
  walk(document);
  return [...refs].filter((name) => !(name in schemas)).sort();
}
