// The booth's receipt printer: the resident's receipt for a saved submission, the service screen's
// test receipt, and the printer setting the service screen saves (booth.json "printer", used from
// the next receipt without a restart). The words are in text.ts; the bytes in drivers/printer/.
import type { BoothSettings } from '../../contract/booth.ts';
import type { Language, PrinterSetting } from '../../contract/kiosk.ts';
import { encodeReceipt } from '../../drivers/printer/receipt.ts';
import { createPrinterTransport } from '../../drivers/printer/transport.ts';
import { createLogger } from '../../lib/log.ts';
import { statusToken, statusUrl } from '../../lib/statusToken.ts';
import type { Outbox } from '../../uploader/outbox.ts';
import { BoothError } from '../api/errors.ts';
import type { BoothConfig } from '../config.ts';
import type { Live } from '../live.ts';
import { readJson, techFiles, writeJson } from '../technician/files.ts';
import { residentReceipt, testReceipt } from './text.ts';

const log = createLogger('core');

export interface ReceiptPrinterDeps {
  dataDir: string;
  config: Live<BoothConfig>;
  outbox: Pick<Outbox, 'get' | 'items'>;
  settings: () => BoothSettings;
  /** The booth key the status page's token is derived from (lib/statusToken.ts). */
  sealingKey: Buffer;
  now: () => number;
}

export class ReceiptPrinter {
  constructor(private readonly d: ReceiptPrinterDeps) {}

  /** The printer as configured now (null = none). */
  setting(): PrinterSetting | null {
    return this.d.config.value.printer;
  }

  async print(submissionId: string, language: Language): Promise<void> {
    const config = this.d.config.value;
    const printer = this.requirePrinter();
    const row = this.d.outbox.get(submissionId);
    if (!row) throw new BoothError('not_found', 'no such submission');
    const base = this.d.settings().statusBaseUrl;
    const bytes = encodeReceipt(
      residentReceipt({
        caseNumber: row.caseNumber,
        residentNumber: row.residentNumber,
        savedAt: row.savedAt,
        kinds: this.d.outbox.items(row.id).map((it) => it.kind),
        language,
        // The same QR as on screen: the status page (issue 18), derived from the booth key.
        statusUrl: base ? statusUrl(base, statusToken(this.d.sealingKey, row.id)) : null,
        callbackDays: config.resident.callbackDays,
        receiptText: this.d.settings().receiptText,
        timeZone: config.timeZone,
        boothCode: config.boothCode,
        widthDots: printer.widthDots,
      }),
    );
    try {
      await createPrinterTransport(printer).send(bytes);
    } catch (e) {
      log.error({ err: e }, 'TECHNICIAN ALERT: receipt printer failed');
      throw new BoothError('printer_unavailable', 'the printer did not take the receipt');
    }
  }

  /** The service screen's printer test (throws when the printer fails). */
  async printTest(): Promise<void> {
    const config = this.d.config.value;
    const printer = this.requirePrinter();
    const test = testReceipt({ nowMs: this.d.now(), timeZone: config.timeZone, boothCode: config.boothCode, widthDots: printer.widthDots });
    await createPrinterTransport(printer).send(encodeReceipt(test));
  }

  /** The service screen's printer setting: booth.json "printer", used from the next receipt (no restart). */
  async save(printer: PrinterSetting | null): Promise<void> {
    const file = techFiles(this.d.dataDir).config;
    const existing = ((await readJson(file).catch(() => undefined)) ?? {}) as Record<string, unknown>;
    await writeJson(file, { ...existing, printer });
    this.d.config.set({ ...this.d.config.value, printer });
  }

  private requirePrinter(): PrinterSetting {
    const printer = this.d.config.value.printer;
    if (!printer) throw new BoothError('printer_unavailable', 'no printer is configured on this booth');
    return printer;
  }
}
