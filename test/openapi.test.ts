import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { Admin } from '../generated/outreach/v1/admin';
import { BusinessHours } from '../generated/outreach/v1/business_hours';
import { CallEvents } from '../generated/outreach/v1/call_events';
import { Campaign } from '../generated/outreach/v1/campaign';
import { DoNotCall } from '../generated/outreach/v1/do_not_call';
import { Webhooks } from '../generated/outreach/v1/webhooks';
import { OPENAPI_DOCUMENT_PATH } from '../server/http/openapi-document';
import { useHarness } from './support/harness';

/**
 * `GET /openapi.yaml` serves the generated document of the Twirp routes: every RPC of every
 * service, every schema it refers to defined, the key and the Twirp error described.
 */
const h = useHarness('openapi');
const SERVICES = [Campaign, DoNotCall, BusinessHours, CallEvents, Webhooks, Admin];

type Node = Record<string, any>;

async function served(): Promise<{ res: Response; text: string; doc: Node }> {
  const res = await fetch(`${h.url}/openapi.yaml`);
  const text = await res.text();
  return { res, text, doc: YAML.parse(text) as Node };
}

it('answers the committed document as YAML', async () => {
  const { res, text, doc } = await served();
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/yaml');
  expect(text).toBe(readFileSync(OPENAPI_DOCUMENT_PATH, 'utf8'));
  expect(doc.openapi).toBe('3.0.3');
  expect(doc.info.title).toBe('Outreach API');
});

it('has a path for every RPC of every service, under /twirp, with its request, response and error', async () => {
  const { doc } = await served();
  const expected = SERVICES.flatMap((s) => s.methods.map((m) => `/twirp/${s.typeName}/${m.name}`));
  expect(Object.keys(doc.paths).sort()).toEqual([...expected].sort());
  expect(doc.paths).toHaveProperty(['/twirp/outreach.v1.Campaign/SendMessage']);
  for (const service of SERVICES) {
    for (const method of service.methods) {
      const op = doc.paths[`/twirp/${service.typeName}/${method.name}`].post as Node;
      expect(op.tags).toEqual([service.typeName.replace('outreach.v1.', '')]);
      expect(op.summary.length).toBeGreaterThan(0);
      expect(op.requestBody.content['application/json'].schema.$ref).toBe(`#/components/schemas/${method.I.typeName.replace('outreach.v1.', '').replace(/\./g, '_')}`);
      expect(op.responses['200'].content['application/json'].schema.$ref).toBe(`#/components/schemas/${method.O.typeName.replace('outreach.v1.', '').replace(/\./g, '_')}`);
      expect(op.responses.default.$ref).toBe('#/components/responses/TwirpError');
    }
  }
  expect(doc.paths['/twirp/outreach.v1.Admin/CreateTenant'].post.security).toEqual([{ adminKey: [] }]);
  expect(doc.security).toEqual([{ apiKey: [] }]);
});

it('defines every schema it refers to, nested messages and the Twirp error included', async () => {
  const { doc } = await served();
  const refs = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (key === '$ref') refs.add(String(v));
        else walk(v);
      }
    }
  };
  walk(doc);
  const resolve = (ref: string): unknown => ref.slice(2).split('/').reduce<any>((node, part) => node?.[part], doc);
  expect([...refs].filter((ref) => resolve(ref) === undefined)).toEqual([]);
  expect(doc.components.schemas.Callback.properties.state.$ref).toBe('#/components/schemas/Value');
  expect(doc.components.schemas.TwirpError.required).toEqual(['code', 'msg']);
  expect(doc.components.schemas.SendMessageRequest.properties.campaign_id.description).toMatch(/campaign/);
});

it('is not routed for any other method', async () => {
  const res = await fetch(`${h.url}/openapi.yaml`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  expect(res.status).toBe(404);
  expect(((await res.json()) as { code: string }).code).toBe('bad_route');
});
