// The receipt: a case number in very large digits (spoken), a QR code to photograph, what happens
// next, and printing where the booth has a printer.
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { useFlow } from '../context.tsx';
import { Icon } from '../icons.tsx';

export function ReceiptScreen({ qrText }: { qrText: string }) {
  const { t, state, dispatch, settings, api, sessionId } = useFlow();
  const [svg, setSvg] = useState('');
  const [printState, setPrintState] = useState<'idle' | 'printing' | 'done' | 'failed'>('idle');
  useEffect(() => {
    void QRCode.toString(qrText, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }).then(setSvg);
  }, [qrText]);
  const print = async () => {
    setPrintState('printing');
    dispatch({ type: 'TAP' });
    setPrintState((await api.printReceipt(sessionId)) ? 'done' : 'failed');
  };
  return (
    <main className="screen screen-receipt">
      <h1 className="receipt-title">
        <Icon name="check" size="64px" /> {t.receiptTitle}
      </h1>
      <div className="receipt">
        <div className="receipt-left">
          <p className="receipt-label">{t.receiptNumber}</p>
          <p className="case-number" aria-label={`${t.receiptNumber} ${state.caseNumber ?? ''}`}>
            {state.caseNumber}
          </p>
          <p className="lead">{state.phone ? t.receiptNext(settings.callbackDays) : t.receiptNextNoPhone}</p>
          {printState === 'done' && <p className="notice" role="status">{t.printed}</p>}
          {printState === 'failed' && <p className="error" role="alert">{t.printFailed}</p>}
        </div>
        <figure className="qr">
          <div role="img" aria-label={t.receiptQr} dangerouslySetInnerHTML={{ __html: svg }} />
          <figcaption>{t.receiptQr}</figcaption>
        </figure>
      </div>
      <div className="row bottom-row">
        {settings.printerConfigured && (
          <button type="button" className="btn btn-secondary" disabled={printState === 'printing'} onClick={() => void print()}>
            <Icon name="printer" /> {t.print}
          </button>
        )}
        <button type="button" className="btn btn-primary btn-next" onClick={() => dispatch({ type: 'FINISH' })}>
          <Icon name="home" /> {t.finish}
        </button>
      </div>
    </main>
  );
}
