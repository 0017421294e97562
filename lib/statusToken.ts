// The resident's status-page secret (issue 18): per case, not guessable, derived on the booth from
// its own key (HMAC-SHA256 of the submission id), so nothing extra is stored on the booth and the
// receipt's QR can be drawn offline, before the intake has the case. The intake stores only the
// token's sha256 and finds the case by it.
import { createHash, createHmac } from 'node:crypto';

/** 32 base64url characters (24 bytes, 192 bits of the HMAC). */
export const STATUS_TOKEN = /^[A-Za-z0-9_-]{32}$/;

export function statusToken(boothKey: Buffer, submissionId: string): string {
  return createHmac('sha256', boothKey).update(`shuoba-status\0${submissionId}`).digest().subarray(0, 24).toString('base64url');
}

export function statusTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The page a receipt's QR opens: <public base URL of the intake>/s/<token>. */
export function statusUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/s/${token}`;
}
