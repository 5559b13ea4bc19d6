import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CampaignInfo_DialerType, CampaignInfo_RetryScenario, CampaignInfo_Trigger, DayOfWeek } from '../../typescript';
import { UsageError } from '../exit-codes';
import { bodyFromFlags, createCampaignRequest, dailyWindow, dayName } from './campaign-create-body';

describe('bodyFromFlags', () => {
  it('maps each flag to its CreateCampaign JSON field', () => {
    expect(
      bodyFromFlags({
        name: 'Diwali',
        assistant: 'asst_42',
        trigger: 'bulk',
        'max-attempts': '3',
        'voicemail-answered': true,
        pool: ['+14155550100,+14155550101'],
        days: ['mon,Tuesday'],
        'retry-on': ['busy', 'NO_ANSWER'],
        'retry-delay': ['BUSY=5', 'no_answer=120'],
        window: '09:00-18:30:00',
      }),
    ).toEqual({
      name: 'Diwali',
      assistant_id: 'asst_42',
      trigger: 'BULK',
      max_call_attempts: 3,
      consider_voicemail_as_answered: true,
      phone_number_pool: ['+14155550100', '+14155550101'],
      dialer_type: 'POOL',
      days_of_week: ['MONDAY', 'TUESDAY'],
      retry_scenarios: ['BUSY', 'NO_ANSWER'],
      retry_delays: { BUSY: 5, NO_ANSWER: 120 },
      daily_start_time: '09:00',
      daily_end_time: '18:30:00',
    });
  });

  it.each([
    [{ trigger: 'SOMETIMES' }, '--trigger must be one of API, BULK'],
    [{ 'retry-on': ['BUSY,ANGRY'] }, '--retry-on must be one of BUSY, NO_ANSWER, FAILED, VOICEMAIL'],
    [{ 'max-attempts': 'three' }, '--max-attempts must be a whole number'],
    [{ 'retry-delay': ['BUSY:5'] }, '--retry-delay must look like BUSY=5'],
    [{ days: ['Funday'] }, 'unknown day "Funday"'],
    [{ window: '9-5' }, '--window must look like 09:00-18:00'],
  ])('%j is a usage error', (values, message) => {
    expect(() => bodyFromFlags(values)).toThrow(UsageError);
    expect(() => bodyFromFlags(values)).toThrow(message);
  });

  it('day names and windows', () => {
    expect(dayName('sun')).toBe('SUNDAY');
    expect(dailyWindow(' 8:00 - 20:00 ')).toEqual({ daily_start_time: '8:00', daily_end_time: '20:00' });
  });
});

describe('createCampaignRequest', () => {
  it('reads a --file body as the service does (unknown fields ignored) and lays the flags over it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'outreach-cli-spec-'));
    const file = path.join(dir, 'body.json');
    await writeFile(
      file,
      JSON.stringify({ name: 'from file', description: 'not ours', trigger: 'BULK', assistant_id: 'a1', days_of_week: ['MONDAY'], retry_scenarios: ['BUSY'] }),
    );
    const request = await createCampaignRequest({ file, name: 'from flag', pool: ['+14155550100'] });
    expect(request).toMatchObject({
      name: 'from flag',
      assistantId: 'a1',
      trigger: CampaignInfo_Trigger.BULK,
      dialerType: CampaignInfo_DialerType.POOL,
      phoneNumberPool: ['+14155550100'],
      daysOfWeek: [DayOfWeek.MONDAY],
      retryScenarios: [CampaignInfo_RetryScenario.BUSY],
    });
  });

  it('a missing or non-JSON file is a usage error', async () => {
    await expect(createCampaignRequest({ file: '/nonexistent/body.json' })).rejects.toThrow(UsageError);
    const dir = await mkdtemp(path.join(tmpdir(), 'outreach-cli-spec-'));
    const file = path.join(dir, 'bad.json');
    await writeFile(file, '[1, 2]');
    await expect(createCampaignRequest({ file })).rejects.toThrow('must hold a JSON object');
  });
});
