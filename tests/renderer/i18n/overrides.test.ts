import { describe, expect, it } from 'vitest';
import { en } from '../../../renderer/i18n/en.ts';
import { applyPromptOverrides } from '../../../renderer/i18n/overrides.ts';
import { zhCN } from '../../../renderer/i18n/zh-CN.ts';

describe('back-office prompt overrides', () => {
  const prompts = {
    'start.title': '东村说吧',
    'start.line.en': 'Tell the village office',
    storageFullLine: '请拨打村委会 5551234',
    'no.such.text': 'x',
    'kind.video': 'y',
    errors: 'z',
  };

  it('replace Chinese texts by dotted or camelCase key, and leave the rest', () => {
    const t = applyPromptOverrides(zhCN, 'zh-CN', prompts);
    expect(t.startTitle).toBe('东村说吧');
    expect(t.storageFullLine).toBe('请拨打村委会 5551234');
    expect(t.startLine).toBe(zhCN.startLine);
    expect(t.kind).toEqual(zhCN.kind);
    expect(t.errors).toEqual(zhCN.errors);
    expect(t).not.toHaveProperty('noSuchText');
  });

  it('replace English texts only through keys ending in .en', () => {
    const t = applyPromptOverrides(en, 'en', prompts);
    expect(t.startLine).toBe('Tell the village office');
    expect(t.startTitle).toBe(en.startTitle);
    expect(t.storageFullLine).toBe(en.storageFullLine);
  });

  it('ignore blank overrides and leave the dictionary itself untouched', () => {
    const t = applyPromptOverrides(zhCN, 'zh-CN', { 'start.title': '   ' });
    expect(t.startTitle).toBe(zhCN.startTitle);
    applyPromptOverrides(zhCN, 'zh-CN', prompts);
    expect(zhCN.startTitle).not.toBe('东村说吧');
  });
});
