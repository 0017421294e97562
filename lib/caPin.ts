// A village CA pinned by its fingerprint (issue 20): the intake puts the SHA-256 of its CA
// certificate into the enrolment QR (contract/enrolQr.ts), and the booth trusts the CA it fetches
// from the intake only when the same function gives the same answer.
import { X509Certificate } from 'node:crypto';

/** SHA-256 of the first certificate in the PEM (its DER), 64 lower-case hex; null when there is none. */
export function caFingerprint(pem: string): string | null {
  const first = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)?.[0];
  if (!first) return null;
  try {
    return new X509Certificate(first).fingerprint256.replace(/:/g, '').toLowerCase();
  } catch {
    return null;
  }
}
