// The simulator's own entry (issue 13 item 5): the simulated reader, the test cards, the socat
// pseudo-terminal host and `booth idcard simulate`. Production code never imports it: main/start.ts
// loads it for `npm start` (not for a production booth) and tests import it; the driver's public
// surface (../index.ts) holds no test parts.
import { findFixture } from './cards.ts';
import { startPtySimulator, type PtySimulator } from './pty.ts';

export { SimulatedReader } from './device.ts';
export { CARD_FIXTURES, findFixture } from './cards.ts';
export { startPtySimulator } from './pty.ts';
export type { PtySimulator } from './pty.ts';
export { parseBaud, READER_BAUD, wireTimeMs } from './pacing.ts';
export { runSimulate, simulatorCommand, SIMULATOR_HELP } from './tool.ts';
export type { SimulateArgs } from './tool.ts';

/** The simulated reader as the booth core holds it: the service screen's test-card switch lays a
 *  test card on it by id (false: no such card) or takes it off (null). */
export interface BoothSimulator extends PtySimulator {
  presentTestCard(id: string | null): boolean;
}

/** The simulator a development booth uses when no reader is found: realistic SAM and RF times,
 *  so the kiosk shows what a resident will see (about 1 s a read); `testCard` lies on it at start. */
export async function startBoothSimulator(testCard: string | null): Promise<BoothSimulator> {
  const sim = await startPtySimulator({
    reader: { latencyMs: { samStatus: 10, find: 30, select: 30, readBase: 700, readAppendedAddress: 120 } },
  });
  const presentTestCard = (id: string | null): boolean => {
    if (id === null) {
      sim.reader.remove();
      return true;
    }
    const f = findFixture(id);
    if (f) sim.reader.present(f);
    return f !== undefined;
  };
  if (testCard) presentTestCard(testCard);
  return Object.assign(sim, { presentTestCard });
}
