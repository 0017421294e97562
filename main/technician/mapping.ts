// The booth's local hardware mapping: which camera films the resident and which the documents,
// which microphone, which port the ID reader is on. Set in the service screen, kept on the booth
// only (it describes this PC's USB ports, meaningless to the back office).
import { z } from 'zod';
import { readJson, techFiles, writeJson } from './files.ts';

/** A camera or microphone as the browser names it; deviceId is per-origin and may change, the label is the fallback. */
export const MappedDevice = z.object({ deviceId: z.string().max(200), label: z.string().max(200) });
export const HardwareMapping = z.object({
  faceCamera: MappedDevice.nullable().default(null),
  documentCamera: MappedDevice.nullable().default(null),
  microphone: MappedDevice.nullable().default(null),
  readerPort: z.string().max(200).nullable().default(null),
});
export type HardwareMapping = z.infer<typeof HardwareMapping>;

export const EMPTY_MAPPING: HardwareMapping = { faceCamera: null, documentCamera: null, microphone: null, readerPort: null };

export async function loadMapping(dataDir: string): Promise<HardwareMapping> {
  const raw = await readJson(techFiles(dataDir).hardware);
  const parsed = HardwareMapping.safeParse(raw ?? {});
  return parsed.success ? parsed.data : EMPTY_MAPPING;
}

export async function saveMapping(dataDir: string, m: HardwareMapping): Promise<void> {
  await writeJson(techFiles(dataDir).hardware, HardwareMapping.parse(m));
}
