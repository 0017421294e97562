// Words both programs (booth and intake) use. zod only, so browser code may import it too.
import { z } from 'zod';

export const Language = z.enum(['zh-CN', 'en']);
export type Language = z.infer<typeof Language>;

export const CaptureKind = z.enum(['video', 'audio', 'photo']);
export type CaptureKind = z.infer<typeof CaptureKind>;

/** What a complaint is about: the categories staff see most (PRODUCT.md), picked by the resident at the booth. */
export const Category = z.enum(['property', 'sanitation', 'noise', 'transport', 'heating', 'consultation', 'other']);
export type Category = z.infer<typeof Category>;

export const CameraRole = z.enum(['face', 'document']);
export type CameraRole = z.infer<typeof CameraRole>;

/** Booth code + booth-local date + per-day sequence, e.g. FT01-20261123-0007: unique and easy to read aloud. */
export const CASE_NUMBER = /^[A-Z0-9]{2,8}-\d{8}-\d{4}$/;
export const BOOTH_CODE = /^[A-Z0-9]{2,8}$/;

export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A submission's state in the booth outbox (uploader/state.ts moves it). */
export const OutboxState = z.enum(['saved', 'uploading', 'failed', 'delivered', 'purged']);
export type OutboxState = z.infer<typeof OutboxState>;
