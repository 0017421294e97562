// Fetches the update manifest and its signature from the intake's generic feed
// (<intake>/api/v1/updates/linux/latest-linux.yml + .sig). Plain Node, so it is tested against a
// real intake; the Electron updater only calls it.
export async function fetchSignedManifest(feedUrl: string, headers: Record<string, string> = {}, timeoutMs = 15_000): Promise<{ manifest: Buffer; signature: string } | null> {
  const opts = { headers, signal: AbortSignal.timeout(timeoutMs) };
  const m = await fetch(new URL('latest-linux.yml', feedUrl), opts);
  if (m.status === 404) return null;
  const s = await fetch(new URL('latest-linux.yml.sig', feedUrl), opts);
  if (!m.ok || !s.ok) throw new Error(`update feed answered ${m.status}/${s.status}`);
  return { manifest: Buffer.from(await m.arrayBuffer()), signature: (await s.text()).trim() };
}

export const updateFeedUrl = (intakeUrl: string) => new URL('/api/v1/updates/linux/', intakeUrl).toString();
