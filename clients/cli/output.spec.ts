import { CampaignInfo_Status } from '../typescript';
import { enumName, formatCount, formatMap, renderFields, renderTable } from './output';

describe('output', () => {
  it('tables pad every column but the last', () => {
    expect(renderTable(['ID', 'NAME'], [['1', 'a'], ['12345', 'b c']])).toBe('ID     NAME\n1      a\n12345  b c');
  });

  it('fields align their values and show empty ones as -', () => {
    expect(renderFields([['name', 'x'], ['webhook_url', '']])).toBe('name:        x\nwebhook_url: -');
  });

  it('enum names drop the unspecified value', () => {
    expect(enumName(CampaignInfo_Status, CampaignInfo_Status.RUNNING)).toBe('RUNNING');
    expect(enumName(CampaignInfo_Status, CampaignInfo_Status.STATUS_UNSPECIFIED)).toBe('');
    expect(enumName(CampaignInfo_Status, 42)).toBe('42');
  });

  it('counts and maps', () => {
    expect(formatCount(1_000_000)).toBe('1,000,000');
    expect(formatMap({ b: 2, a: 'x' })).toBe('a=x, b=2');
  });
});
