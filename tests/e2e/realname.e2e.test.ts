// Real name end to end: real booth core (simulated reader on a socat pty) + real intake + Debian
// Chromium with fake camera and microphone, driven by accessible names as a resident would.
//   consent → the simulator presents a card → masked identity → recording → receipt, and the intake
//   holds the identity encrypted; 不同意 → anonymous; an unreadable card → plain words, retry, anonymous.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readIdentity } from '../../intake/staff/routes.ts';
import { loadOrCreateKey } from '../../lib/sealed.ts';
import { launchKioskBrowser } from '../support/chromium.ts';
import { coreFetch, eventually, startStack, type Stack } from '../support/stack.ts';
import { finish, openKiosk, record, SHOTS, tap, typePhone, waitScreen } from './support/resident.ts';

type Browser = Awaited<ReturnType<typeof launchKioskBrowser>>;

async function testCard(stack: Stack, card: string | null): Promise<void> {
  const res = await coreFetch(stack, '/api/reader/test-card', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ card }) });
  expect(res.status).toBe(200);
}

async function readerEmpty(stack: Stack): Promise<void> {
  await testCard(stack, null);
  await eventually(() => !stack.core.realname.info().cardOnReader, 'the reader to see the card go');
}

describe('real name at the booth, in Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    stack = await startStack();
    await eventually(() => stack.core.realname.info().state === 'ready', 'simulated reader ready');
    browser = await launchKioskBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('consent → card → masked identity → recording → receipt; the intake holds the identity encrypted', async () => {
    page = await browser.context.newPage();
    await openKiosk(page, stack.kioskUrl);
    await tap(page, '录像');
    await waitScreen(page, 'identity');
    await tap(page, /实名反映/);
    await waitScreen(page, 'realname');
    // Consent first, in plain words; nothing has been read yet.
    await page.getByText('读取什么').waitFor();
    await expect.poll(() => page.getByText('姓名、身份证号码、住址、照片。').count()).toBe(1);
    await page.screenshot({ path: path.join(SHOTS, 'realname-consent-1280x800.png') });
    await testCard(stack, 'resident'); // lying there already: still not read before 同意
    await page.waitForTimeout(1200);
    expect(stack.core.realname.info().cardOnReader).toBe(false);
    await tap(page, '同意');

    const number = page.getByTestId('rn-number');
    await number.waitFor({ timeout: 15_000 });
    expect((await number.textContent())!.trim()).toBe('110***********1235');
    expect((await page.getByTestId('rn-name').textContent())!.trim()).toBe('张测试');
    // No licensed photo decoder here: the neutral placeholder, not a face.
    expect(await page.getByTestId('rn-photo-placeholder').count()).toBe(1);
    expect(await page.content()).not.toContain('110106199003071235');
    await page.screenshot({ path: path.join(SHOTS, 'realname-confirm-1280x800.png') });
    await tap(page, '是我，确认');

    // A real-name report asks for a phone number to call back.
    await waitScreen(page, 'phone');
    await typePhone(page, '13800000000');
    await tap(page, '确定');
    await waitScreen(page, 'capture');
    await record(page, '开始录像', 2000);
    const caseNumber = await finish(page);
    expect(caseNumber).toMatch(/^SIM01-\d{8}-\d{4}$/);

    const row = stack.core.outbox.byCaseNumber(caseNumber)!;
    await eventually(() => stack.core.outbox.get(row.id)?.state === 'delivered', 'delivery');
    // Gone from the booth once the intake acknowledged.
    expect(stack.core.outbox.get(row.id)!.personalSealed).toBeNull();
    const c = (await stack.intake.db.selectFrom('cases').select(['identity_sealed', 'contact_sealed', 'real_name']).where('id', '=', row.id).executeTakeFirst())!;
    expect(c.real_name).toBe(1);
    expect(c.identity_sealed).not.toContain('110106199003071235');
    expect(Buffer.from(c.identity_sealed!, 'base64').toString('latin1')).not.toContain('110106199003071235');
    const contactKey = await loadOrCreateKey(path.join(stack.root, 'intake', 'keys', 'contact.key'));
    expect(readIdentity(c, contactKey)).toMatchObject({ name: '张测试', idNumber: '110106199003071235', phone: '13800000000' });
    await tap(page, '完成');
    await waitScreen(page, 'start');
    await readerEmpty(stack);
    await page.close();
  });

  it('不同意 → anonymous, and nothing is read', async () => {
    page = await browser.context.newPage();
    await openKiosk(page, stack.kioskUrl);
    await tap(page, '录音');
    await tap(page, /实名反映/);
    await waitScreen(page, 'realname');
    await testCard(stack, 'hk-mo-tw');
    await tap(page, '不同意，匿名反映');
    await waitScreen(page, 'phone');
    // Anonymous: the phone is optional here.
    await page.getByRole('button', { name: '不留电话' }).waitFor();
    await page.waitForTimeout(1200);
    expect(stack.core.realname.info().cardOnReader).toBe(false);
    await readerEmpty(stack);
    await page.close();
  });

  it('an unreadable card: plain words, 再试一次 reads a good card, 改为匿名反映 leaves', async () => {
    page = await browser.context.newPage();
    await openKiosk(page, stack.kioskUrl);
    await tap(page, '拍照');
    await tap(page, /实名反映/);
    await tap(page, '同意');
    await page.getByText('请把身份证平放在屏幕右下方的读卡区').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'realname-place-1280x800.png') });
    await testCard(stack, 'bad-check-digit');
    await page.getByText('没有读出来').waitFor({ timeout: 15_000 });
    await page.screenshot({ path: path.join(SHOTS, 'realname-unreadable-1280x800.png') });
    await readerEmpty(stack);
    await tap(page, '再试一次');
    await testCard(stack, 'foreign-2023');
    await page.getByTestId('rn-number').waitFor({ timeout: 15_000 });
    expect((await page.getByTestId('rn-number').textContent())!.trim()).toBe('931***********0030');
    await tap(page, '不是我，重新读');
    await readerEmpty(stack);
    await testCard(stack, 'bad-check-digit');
    await page.getByText('没有读出来').waitFor({ timeout: 15_000 });
    await tap(page, '改为匿名反映');
    await waitScreen(page, 'phone');
    await readerEmpty(stack);
    await page.close();
  });
  it('the reader unplugged: 再试一次 and 改为匿名反映 (Try again / Report anonymously in English); once it is back a card is read', async () => {
    const unplugged = async (lang: 'zh' | 'en') => {
      page = await browser.context.newPage();
      await openKiosk(page, stack.kioskUrl);
      if (lang === 'en') await page.getByRole('button', { name: /Switch to English|English/ }).click();
      await tap(page, lang === 'zh' ? '录音' : 'Voice');
      await waitScreen(page, 'identity');
      await tap(page, lang === 'zh' ? /实名反映/ : /Real name/);
      await tap(page, lang === 'zh' ? '同意' : 'I agree');
      await page.getByText(lang === 'zh' ? '请把身份证平放' : 'Lay your ID card flat').waitFor();
      await stack.core.realname.simulator!.disconnect();
      await page.getByText(lang === 'zh' ? '读卡器暂时不能用' : 'The card reader is not working right now').waitFor({ timeout: 15_000 });
      expect(await page.getByRole('button', { name: lang === 'zh' ? '再试一次' : 'Try again', exact: true }).count()).toBe(1);
      expect(await page.getByRole('button', { name: lang === 'zh' ? '改为匿名反映' : 'Report anonymously', exact: true }).count()).toBe(1);
      await page.screenshot({ path: path.join(SHOTS, `realname-reader-unplugged-${lang}-1280x800.png`) });
    };

    await unplugged('en');
    await tap(page, 'Report anonymously');
    await waitScreen(page, 'phone');
    await page.close();
    await stack.core.realname.simulator!.reconnect();
    await eventually(() => stack.core.realname.info().state === 'ready', 'the reader back');

    await unplugged('zh');
    await tap(page, '再试一次'); // still unplugged: it says so again, with both ways out
    await page.getByText('读卡器暂时不能用').waitFor();
    await page.getByRole('button', { name: '改为匿名反映', exact: true }).waitFor();
    // Plugged in again: the resident is asked for the card, and it is read.
    await stack.core.realname.simulator!.reconnect();
    await page.getByText('请把身份证平放在屏幕右下方的读卡区').waitFor({ timeout: 15_000 });
    await testCard(stack, 'resident');
    await page.getByTestId('rn-number').waitFor({ timeout: 15_000 });
    expect((await page.getByTestId('rn-number').textContent())!.trim()).toBe('110***********1235');
    await tap(page, '不是我，重新读');
    await readerEmpty(stack);
    await page.close();
  });
});
