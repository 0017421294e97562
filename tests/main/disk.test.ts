import { describe, expect, it } from 'vitest';
import { DiskGuard } from '../../main/disk.ts';

describe('DiskGuard', () => {
  it('admits an item only while it leaves the minimum free, and reports low', async () => {
    let free = 1000;
    const g = new DiskGuard(
      '/x',
      () => 300,
      async () => free,
    );
    await expect(g.admit(600)).resolves.toBeUndefined();
    expect(g.current).toEqual({ freeBytes: 1000, low: false });
    await expect(g.admit(800)).rejects.toMatchObject({ code: 'disk_full' });
    expect(g.current.low).toBe(false); // not low yet: this one item was too big
    free = 200;
    await expect(g.admit(1)).rejects.toMatchObject({ code: 'disk_full' });
    expect(g.current).toEqual({ freeBytes: 200, low: true });
    free = 5000;
    expect(await g.measure()).toEqual({ freeBytes: 5000, low: false });
  });

  it('does not block recording when free space cannot be read', async () => {
    const g = new DiskGuard(
      '/x',
      () => 300,
      async () => {
        throw new Error('EIO');
      },
    );
    await expect(g.admit(10)).resolves.toBeUndefined();
    expect(g.current).toEqual({ freeBytes: null, low: false });
  });
});
