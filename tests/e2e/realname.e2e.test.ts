// Real name end to end: real booth core (simulated reader on a socat pty) + real intake + Debian
// Chromium with fake camera and microphone, driven by accessible names as a resident would.
//   consent → the simulator presents a card → masked identity → recording → receipt, and the intake
//   holds the identity encrypted; 不同意 → anonymous; an unreadable card → plain words, retry, anonymous.
// And every real-name screen (consent, place the card, take the other card away, confirm, unreadable
// card, wrong card type, reader unplugged) through the resident-screen checks of support/inspect.ts,
// in both languages and both sizes, its buttons reached by their names in the screen's language.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readIdentity } from '../../intake/identity.ts';
import { loadOrCreateKey } from '../../lib/sealed.ts';
import { launchKioskBrowser } from '../support/chromium.ts';
import { coreFetch, eventually, startStack, type Stack } from '../support/stack.ts';
import { type Finding, inspect, kioskPage, type Lang, LANGS } from './support/inspect.ts';
import { finish, openKiosk, record, tap, typePhone, waitScreen } from './support/resident.ts';

type Browser = Awaited<ReturnType<typeof launchKioskBrowser>>;

async function testCard(stack: Stack, card: string | null): Promise<void> {
  const res = await coreFetch(stack, '/api/reader/test-card', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ card }),
  });
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
    await eventually(() => stack.core.outbox.get(row.id)?.deliveredAt, 'delivery');
    // Gone from the booth once the intake acknowledged.
    expect(stack.core.outbox.get(row.id)!.personalSealed).toBeNull();
    const c = (await stack.intake.db
      .selectFrom('cases')
      .select(['identity_sealed', 'contact_sealed', 'real_name'])
      .where('id', '=', row.id)
      .executeTakeFirst())!;
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
    await testCard(stack, 'bad-check-digit');
    await page.getByText('没有读出来').waitFor({ timeout: 15_000 });
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
  it('the reader unplugged: 再试一次 while still unplugged says so again; once it is back a card is read', async () => {
    // (Its screen, and 改为匿名反映 from it, in both languages: the inspected walk below.)
    page = await browser.context.newPage();
    await openKiosk(page, stack.kioskUrl);
    await tap(page, '录音');
    await waitScreen(page, 'identity');
    await tap(page, /实名反映/);
    await tap(page, '同意');
    await page.getByText('请把身份证平放').waitFor();
    await stack.core.realname.simulator!.disconnect();
    await page.getByText('读卡器暂时不能用').waitFor({ timeout: 15_000 });
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

  // Every real-name screen through issue 4's screen checks (support/inspect.ts), at both sizes,
  // each button reached by its name in the screen's language (written here, not taken from the
  // renderer's dictionary, so a missing or wrong translation fails).
  const RN: Record<Lang, Record<string, string | RegExp>> = {
    'zh-CN': {
      voice: '录音',
      realname: /实名反映/,
      agree: '同意',
      disagree: '不同意，匿名反映',
      place: '请把身份证平放在屏幕右下方的读卡区',
      confirm: '是我，确认',
      notMe: '不是我，重新读',
      takeAway: '读卡器上还有一张卡',
      unreadable: '没有读出来',
      wrongCard: '这张卡读不了',
      unplugged: '读卡器暂时不能用',
      retry: '再试一次',
      anonymous: '改为匿名反映',
    },
    en: {
      voice: 'Voice',
      realname: /Real name/,
      agree: 'I agree',
      disagree: 'No, report anonymously',
      place: 'Lay your ID card flat on the card area',
      confirm: 'Yes, that is me',
      notMe: 'No, read again',
      takeAway: 'There is still a card on the reader',
      unreadable: 'The card could not be read',
      wrongCard: 'This card cannot be read',
      unplugged: 'The card reader is not working right now',
      retry: 'Try again',
      anonymous: 'Report anonymously',
    },
  };
  for (const lang of LANGS) {
    it(`every real-name screen: large type, big named targets, axe, spoken, both sizes, ${lang}`, async () => {
      const t = RN[lang];
      const sim = stack.core.realname.simulator!;
      const findings: Finding[] = [];
      const page = await kioskPage(browser, stack.kioskUrl, lang);
      const look = (name: string, prompt: string) => inspect(page, `rn-${name}`, lang, findings, { prompt });
      const button = (name: string | RegExp) => page.getByRole('button', { name, exact: typeof name === 'string' });
      const shows = (text: string | RegExp) => page.getByText(text).waitFor({ timeout: 15_000 });
      const bothWaysOut = async () => {
        expect(await button(t.retry!).count()).toBe(1);
        expect(await button(t.anonymous!).count()).toBe(1);
      };
      await button(t.voice!).click();
      await waitScreen(page, 'identity');
      await button(t.realname!).click();
      await waitScreen(page, 'realname');
      expect(await button(t.disagree!).count()).toBe(1);
      await look('01-consent', 'realname_consent');
      await button(t.agree!).click();
      await shows(t.place!);
      await look('02-place', 'realname_place');
      await testCard(stack, 'resident');
      await page.getByTestId('rn-number').waitFor({ timeout: 15_000 });
      expect(await button(t.confirm!).count()).toBe(1);
      await look('03-confirm', 'realname_confirm');
      // Read again with the card still lying there: the resident is asked to take it away first.
      await button(t.notMe!).click();
      await shows(t.takeAway!);
      await look('04-take-away', 'realname_take_away');
      await readerEmpty(stack);
      await shows(t.place!);
      await testCard(stack, 'bad-check-digit');
      await shows(t.unreadable!);
      await bothWaysOut();
      await look('05-unreadable', 'realname_error_unreadable');
      await readerEmpty(stack);
      await button(t.retry!).click();
      await shows(t.place!);
      // A card the reader does not know: the read answers SW3 40 (IDCARD-PROTOCOL.md).
      sim.reader.setFaults({ status: { readBase: 0x40 } });
      await testCard(stack, 'resident');
      try {
        await shows(t.wrongCard!);
      } finally {
        // Card off first (read without the fault it would turn this screen into 请核对), then the
        // fault off, whatever happened: the next test's cards read normally.
        await testCard(stack, null);
        sim.reader.clearFaults();
      }
      await bothWaysOut();
      await look('06-wrong-card', 'realname_error_wrong_card');
      await button(t.retry!).click();
      await shows(t.place!);
      await sim.disconnect();
      await shows(t.unplugged!);
      await bothWaysOut();
      await look('07-reader-unplugged', 'realname_error_reader_unavailable');
      await button(t.anonymous!).click();
      await waitScreen(page, 'phone');
      await sim.reconnect();
      await eventually(() => stack.core.realname.info().state === 'ready', 'the reader back');
      await page.close();
      expect(findings).toEqual([]);
    });
  }
});
