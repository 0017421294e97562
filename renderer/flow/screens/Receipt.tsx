// The receipt: a case number in very large digits (spoken), a QR code to photograph, what happens
// next, and printing where the booth has a printer.
import QRCode from 'qrcode';
import { type ReactNode, useEffect, useState } from 'react';
import { useFlow } from '../context.tsx';
import { Icon } from '../../icons.tsx';

/** `idle`: the idle notice, shown in place of the buttons (so the number and QR stay in view). */
export function ReceiptScreen({ qrText, submissionId, idle = null }: { qrText: string; submissionId: string | null; idle?: ReactNode }) {
  const { t, state, dispatch, settings, api, lang } = useFlow();
  const [svg, setSvg] = useState('');
  const [printState, setPrintState] = useState<'idle' | 'printing' | 'done' | 'failed'>('idle');
  useEffect(() => {
    void QRCode.toString(qrText, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }).then(setSvg);
  }, [qrText]);
  const print = async () => {
    setPrintState('printing');
    dispatch({ type: 'TAP' });
    setPrintState(submissionId && (await api.printReceipt(submissionId, lang)) ? 'done' : 'failed');
  };
  return (
    <main className="screen screen-receipt">
      <h1 className="receipt-title">
        <Icon name="check" size="2.29rem" /> {t.receiptTitle}
      </h1>
      <div className="receipt">
        <div className="receipt-left">
          <p className="receipt-label">{t.receiptNumber}</p>
          <p className="case-number" data-testid="case-number">
            {/* Breaks only at the dashes, never inside a group of digits. */}
            {(state.caseNumber ?? '').split(/(?<=-)/).map((part, i) => (
              <span key={i} className="cn-part">
                {part}
              </span>
            ))}
          </p>
          <p className="lead">{state.phone ? t.receiptNext(settings.resident.callbackDays) : t.receiptNextNoPhone}</p>
          {settings.backOffice?.receiptText && <p>{settings.backOffice.receiptText}</p>}
          {printState === 'done' && <p className="notice" role="status">{t.printed}</p>}
          {printState === 'failed' && <p className="error" role="alert">{t.printFailed}</p>}
        </div>
        <figure className="qr">
          <div role="img" aria-label={t.receiptQr} dangerouslySetInnerHTML={{ __html: svg }} />
          <figcaption>{t.receiptQr}</figcaption>
        </figure>
      </div>
      {idle ?? (
        <div className="row bottom-row">
          {settings.resident.printer && (
            <button type="button" className="btn btn-secondary" disabled={printState === 'printing'} onClick={() => void print()}>
              <Icon name="printer" /> {t.print}
            </button>
          )}
          <button type="button" className="btn btn-primary btn-next" onClick={() => dispatch({ type: 'FINISH' })}>
            <Icon name="home" /> {t.finish}
          </button>
        </div>
      )}
    </main>
  );
}
