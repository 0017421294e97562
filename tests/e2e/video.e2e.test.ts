// Walking skeleton end to end: real booth core + intake + Debian Chromium with fake camera and mic.
// Tap 录像, record 3 s, tap 立即上传, read the case number; then the intake has exactly that case,
// byte-identical, and both it and its playback rendition have video + audio and a sane duration.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { probe } from '../../drivers/media/index.ts';
import { sha256File } from '../../lib/durableFile.ts';
import { launchKioskBrowser } from '../support/chromium.ts';
import { eventually, startStack, type Stack } from '../support/stack.ts';
import { loginInBrowser, seedUser } from '../support/staff.ts';

const SHOTS = path.resolve('tests/output/screenshots');

describe('a video travels from the booth screen to the back office', () => {
  let stack: Stack;
  let browser: Awaited<ReturnType<typeof launchKioskBrowser>>;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    stack = await startStack();
    browser = await launchKioskBrowser();
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('records, saves durably, shows the receipt, and the staff page plays it', async () => {
    await page.goto(stack.kioskUrl);
    const start = page.getByRole('button', { name: /录像/ });
    await start.waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'skeleton-start-1280x800.png') });
    await start.click();
    // The resident flow (issue 4): identity, optional phone, then the camera.
    await page.getByRole('button', { name: /匿名反映/ }).click();
    await page.getByRole('button', { name: '不留电话' }).click();
    await page.getByRole('button', { name: '开始录像' }).click();

    const stop = page.getByRole('button', { name: '停止' });
    await expect.poll(() => stop.isEnabled(), { timeout: 15_000 }).toBe(true);
    await page.waitForTimeout(3000); // the resident speaks for three seconds
    await stop.click();

    await page.getByRole('button', { name: '下一步' }).click(); // review
    await page.getByRole('button', { name: '下一步' }).click(); // optional details
    await page.getByRole('button', { name: /立即上传/ }).click();
    const caseNumberEl = page.getByTestId('case-number');
    await caseNumberEl.waitFor({ timeout: 30_000 });
    const caseNumber = (await caseNumberEl.textContent())!.trim();
    expect(caseNumber).toMatch(/^SIM01-\d{8}-0001$/);
    await page.screenshot({ path: path.join(SHOTS, 'skeleton-receipt-1280x800.png') });

    // Durable on the booth before the receipt: the outbox row exists with the hash of the clear
    // recording. The booth's copy rests sealed and goes once the intake confirms that hash
    // (retention 0 days; tests/main/mediaAtRest.int.test.ts scans it), so the proof is the
    // intake's original hashing to what the booth recorded.
    const row = stack.core.outbox.byCaseNumber(caseNumber)!;
    expect(row).not.toBeNull();
    const [boothItem] = stack.core.outbox.items(row.id);
    expect(boothItem!.sha256).toMatch(/^[0-9a-f]{64}$/);

    // Delivered exactly once.
    await eventually(() => stack.core.outbox.get(row.id)?.deliveredAt, 'delivery');
    const cases = await stack.intake.store.listCases(10);
    expect(cases.map((c) => c.case_number)).toEqual([caseNumber]);
    const [intakeItem] = await stack.intake.store.items(cases[0]!.id);
    const original = path.join(stack.intake.mediaRoot, intakeItem!.file);
    expect((await sha256File(original)).sha256).toBe(boothItem!.sha256);
    // The stored original itself (the bytes whose hash matched, remuxed on the booth) has a video
    // and an audio stream and a duration: the check is on what was delivered, not on a copy.
    const o = await probe(original);
    expect(o.video).not.toBeNull();
    expect(o.audio).not.toBeNull();
    expect(o.durationSec).toBeGreaterThan(2.5);
    expect(o.durationSec).toBeLessThan(5);

    // The playback rendition has a duration and both streams.
    await stack.intake.playback.idle();
    const [ready] = await stack.intake.store.items(cases[0]!.id);
    expect(ready!.playback_state).toBe('ready');
    const p = await probe(path.join(stack.intake.mediaRoot, ready!.playback_file!));
    expect(p.video).not.toBeNull();
    expect(p.audio).not.toBeNull();
    expect(p.durationSec).toBeGreaterThan(2.5);
    expect(p.durationSec).toBeLessThan(5);

    // The staff app (after a staff login) opens the case and its video plays in the browser.
    await seedUser(stack.intake.db, 'clerk', 'viewer');
    const staff = await browser.context.newPage();
    await loginInBrowser(staff, stack.staffUrl, 'clerk');
    await staff.goto(`${stack.staffUrl}#/case/${cases[0]!.id}`);
    const card = staff.locator('article.case');
    await card.waitFor({ timeout: 15_000 });
    const video = card.locator('video');
    await video.waitFor();
    const played = await video.evaluate(async (v: HTMLVideoElement) => {
      v.muted = true;
      await v.play();
      await new Promise((r) => setTimeout(r, 700));
      return { time: v.currentTime, duration: v.duration, error: v.error?.code ?? null };
    });
    expect(played.error).toBeNull();
    expect(played.time).toBeGreaterThan(0);
    expect(played.duration).toBeGreaterThan(2.5);
    await staff.screenshot({ path: path.join(SHOTS, 'skeleton-staff-list.png') });

    // Back to the start screen.
    await page.getByRole('button', { name: '完成' }).click();
    await page.getByRole('button', { name: /录像/ }).waitFor();
  });
});
