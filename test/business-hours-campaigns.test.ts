import { businessHoursCaller, officeHoursBody, okBody as ok, type BusinessHoursCall } from './support/business-hours-fixtures';
import { callOk, campaignCaller, createOk, expectTwirpError, minimalCampaign } from './support/campaign-fixtures';
import { useHarness } from './support/harness';
import { createTestTenant } from './support/server';

/**
 * Campaigns name a business-hours profile of their own tenant, and a profile in use by an
 * unfinished campaign cannot be deleted, also when the two race.
 */

const h = useHarness('business-hours-campaigns');

const UNKNOWN_ID = '0b9a3f0e-5d7c-4e0b-9c61-3f1a2b4c5d6e';

async function tenant(name: string): Promise<{ apiKey: string; call: BusinessHoursCall }> {
  const created = await createTestTenant(h.db, `bhc-${name}`);
  return { ...created, call: businessHoursCaller(h.url, created.apiKey) };
}

describe('campaigns and profiles', () => {
  let call: BusinessHoursCall;
  let campaigns: ReturnType<typeof campaignCaller>;
  let profileId: string;
  let foreignProfileId: string;
  beforeAll(async () => {
    const t = await tenant('campaigns');
    call = t.call;
    campaigns = campaignCaller(h.url, t.apiKey);
    profileId = (await ok(call, 'CreateProfile', officeHoursBody('for campaigns'))).profile_id;
    foreignProfileId = (await ok((await tenant('campaigns-other')).call, 'CreateProfile', officeHoursBody('foreign'))).profile_id;
  });

  it.each([
    ['an unknown profile', () => UNKNOWN_ID],
    ["another tenant's profile", () => foreignProfileId],
  ])('CreateCampaign refuses %s naming business_hours_profile_id', async (_, id) => {
    const res = await campaigns('CreateCampaign', minimalCampaign(`refused ${id()}`, { business_hours_profile_id: id() }));
    expectTwirpError(res, { status: 400, code: 'invalid_argument', argument: 'business_hours_profile_id' });
    const listed = await callOk(campaigns, 'ListCampaigns', {});
    expect(listed.campaigns.filter((c: any) => c.name.startsWith('refused'))).toEqual([]);
  });

  it('CreateCampaign accepts an own profile; UpdateCampaign checks a new one the same way', async () => {
    const created = await createOk(campaigns, minimalCampaign('with own profile', { business_hours_profile_id: profileId }));
    expect(created.business_hours_profile_id).toBe(profileId);

    const other = (await ok(call, 'CreateProfile', officeHoursBody('another of mine'))).profile_id;
    for (const id of [UNKNOWN_ID, foreignProfileId]) {
      const res = await campaigns('UpdateCampaign', { campaign_id: created.campaign_id, business_hours_profile_id: id });
      expectTwirpError(res, { status: 400, code: 'invalid_argument', argument: 'business_hours_profile_id' });
    }
    const updated = await callOk(campaigns, 'UpdateCampaign', { campaign_id: created.campaign_id, business_hours_profile_id: other });
    expect(updated.business_hours_profile_id).toBe(other);
    // Changing something else does not re-check the profile the campaign already has.
    const renamed = await callOk(campaigns, 'UpdateCampaign', { campaign_id: created.campaign_id, name: 'renamed' });
    expect(renamed).toMatchObject({ name: 'renamed', business_hours_profile_id: other });
  });

  it('DeleteProfile refuses while an unfinished campaign uses the profile, and deletes once it is finished', async () => {
    const profile = (await ok(call, 'CreateProfile', officeHoursBody('in use'))).profile_id;
    const campaign = await createOk(campaigns, minimalCampaign('uses a profile', { business_hours_profile_id: profile }));

    const refusedDraft = await call('DeleteProfile', { profile_id: profile });
    expectTwirpError(refusedDraft, { status: 412, code: 'failed_precondition' });
    expect(refusedDraft.body.meta).toEqual({ campaign_id: campaign.campaign_id });

    await callOk(campaigns, 'StartCampaign', { campaign_id: campaign.campaign_id });
    expectTwirpError(await call('DeleteProfile', { profile_id: profile }), { status: 412, code: 'failed_precondition' });
    await callOk(campaigns, 'PauseCampaign', { campaign_id: campaign.campaign_id });
    expectTwirpError(await call('DeleteProfile', { profile_id: profile }), { status: 412, code: 'failed_precondition' });
    expect((await ok(call, 'GetProfile', { profile_id: profile })).name).toBe('in use');

    await callOk(campaigns, 'CancelCampaign', { campaign_id: campaign.campaign_id });
    expect(await ok(call, 'DeleteProfile', { profile_id: profile })).toEqual({ profile_id: profile });
  });

  it('a delete racing a campaign that takes the profile up never leaves the campaign naming a deleted profile', async () => {
    for (let round = 0; round < 10; round++) {
      const profile = (await ok(call, 'CreateProfile', officeHoursBody(`race ${round}`))).profile_id;
      const [created, deleted] = await Promise.all([
        campaigns('CreateCampaign', minimalCampaign(`race ${round}`, { business_hours_profile_id: profile })),
        call('DeleteProfile', { profile_id: profile }),
      ]);
      // Exactly one wins: the campaign (and the delete is refused) or the delete (and the campaign is).
      expect([created.status, deleted.status].sort()).toEqual(created.status === 200 ? [200, 412] : [200, 400]);
    }
  });
});
