// The receipt: the resident's short number in very large digits, two groups of four (spoken in
// its groups), the case number small beneath it (what staff and the 12345 line see), a QR code that
// opens the status page, what happens next, and printing where the booth has a printer.
import QRCode from 'qrcode';
import { residentNumberGroups } from '../residentNumber.ts';
import { Fragment, type ReactNode, useEffect, useState } from 'react';
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
  // A status page link says what scanning it gives; a bare case number is only something to keep.
  const qrCaption = state.statusUrl ? t.receiptQrStatus : t.receiptQr;
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
          {state.residentNumber ? (
            <>
              <p className="resident-number" data-testid="resident-number">
                {/* Two groups with a real space between (copied or read aloud as 1234 5678), never broken inside. */}
                {residentNumberGroups(state.residentNumber).map((g, i) => (
                  <Fragment key={i}>
                    {i > 0 && ' '}
                    <span className="rn-group">{g}</span>
                  </Fragment>
                ))}
              </p>
              <p className="receipt-case">
                {t.receiptCaseNumber} <span data-testid="case-number">{state.caseNumber}</span>
              </p>
            </>
          ) : (
            <p className="case-number" data-testid="case-number">
              {/* Breaks only at the dashes, never inside a group of digits. */}
              {(state.caseNumber ?? '').split(/(?<=-)/).map((part, i) => (
                <span key={i} className="cn-part">
                  {part}
                </span>
              ))}
            </p>
          )}
          <p className="lead">{state.phone ? t.receiptNext(settings.resident.callbackDays) : t.receiptNextNoPhone}</p>
          {settings.backOffice?.receiptText && <p>{settings.backOffice.receiptText}</p>}
          {printState === 'done' && (
            <p className="notice" role="status">
              {t.printed}
            </p>
          )}
          {printState === 'failed' && (
            <p className="error" role="alert">
              {t.printFailed}
            </p>
          )}
        </div>
        <figure className="qr">
          <div role="img" aria-label={qrCaption} dangerouslySetInnerHTML={{ __html: svg }} />
          <figcaption>{qrCaption}</figcaption>
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
