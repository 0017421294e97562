import { useEffect } from 'react';
import type { Receipt } from '../../main/contract.ts';
import type { Dictionary } from '../i18n/index.ts';

const RECEIPT_SECONDS = 60;

export function ReceiptScreen({ t, receipt, onDone }: { t: Dictionary; receipt: Receipt; onDone: () => void }) {
  useEffect(() => {
    const timer = setTimeout(onDone, RECEIPT_SECONDS * 1000);
    return () => clearTimeout(timer);
  }, [onDone]);
  return (
    <main className="screen receipt">
      <h2>{t.receiptTitle}</h2>
      <p className="label">{t.caseNumber}</p>
      <p className="case-number" data-testid="case-number">
        {receipt.caseNumber}
      </p>
      <p className="next">{t.receiptNext}</p>
      <button type="button" className="big primary" onClick={onDone}>
        {t.backHome}
      </button>
    </main>
  );
}
