import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Where `npm run generate` writes the OpenAPI document of the Twirp routes (buf.gen.yaml runs
 * proto/plugins/protoc-gen-openapi.ts); it is committed, and CI checks it is fresh.
 */
export const OPENAPI_DOCUMENT_PATH = path.resolve(__dirname, '..', '..', 'generated', 'openapi', 'outreach.openapi.yaml');

/** The document `GET /openapi.yaml` serves, read once when the app is made. */
export function loadOpenApiDocument(file: string = OPENAPI_DOCUMENT_PATH): Buffer {
  return readFileSync(file);
}
