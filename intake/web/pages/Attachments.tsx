// Staff attachments on the case view (issue 15): after-photos and documents. Everyone who may read
// the case sees the list (a photo as a thumbnail that opens full screen, a PDF opened in a new tab,
// both downloadable); a handler of the case's unit (supervisors and above: any case) adds one. The
// size is checked here before sending; the type is checked by the server from the content.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError, staff, type Answer } from '../api.ts';
import { errorText, useApp } from '../context.tsx';
import { fmtTime } from '../format.ts';
import { ATTACHMENT_MAX_BYTES } from '../../../contract/staff/attachments.ts';
import { Zoom } from '../Zoom.tsx';

type Data = Answer<'attachments', 'list'>;

/** A file's bytes as base64 (the JSON body of the upload). */
function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsDataURL(file);
  });
}

export function Attachments({ caseId, onChange }: { caseId: string; onChange: () => void }) {
  const { t, lang } = useApp();
  const [data, setData] = useState<Data | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [zoom, setZoom] = useState<string | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const load = useCallback(async () => setData(await staff.attachments.list({ params: { id: caseId } })), [caseId]);
  useEffect(() => void load(), [load]);
  if (!data) return null;

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const file = (form.elements.namedItem('file') as HTMLInputElement).files?.[0];
    const title = (form.elements.namedItem('title') as HTMLInputElement).value.trim();
    if (!file) return;
    if (file.size > ATTACHMENT_MAX_BYTES) {
      setMsg(errorText(lang, new ApiError(400, 'bad_request', 'file_too_large', 'file_too_large')));
      return;
    }
    setBusy(true);
    void base64Of(file)
      .then((b64) => staff.attachments.add({ params: { id: caseId }, body: { title: title || file.name, data: b64 } }))
      .then(
        async () => {
          setMsg(null);
          form.reset();
          setPicked(null);
          await load();
          onChange();
        },
        (err: unknown) => setMsg(errorText(lang, err)),
      )
      .finally(() => setBusy(false));
  };

  return (
    <section className="attachments">
      <h2>{t('attachmentsTitle')}</h2>
      {data.attachments.length === 0 ? (
        <p>{t('noAttachments')}</p>
      ) : (
        <ul className="attachment-list">
          {data.attachments.map((a) => (
            <li key={a.id}>
              {a.kind === 'photo' ? (
                <img className="thumb" src={a.url} alt={a.title} onClick={() => setZoom(a.url)} />
              ) : (
                <a className="doc-icon" href={a.url} target="_blank" rel="noreferrer" aria-hidden="true" tabIndex={-1}>
                  PDF
                </a>
              )}
              <span className="attachment-info">
                <b>{a.title}</b> · {t(a.kind === 'photo' ? 'attachmentKind_photo' : 'attachmentKind_document')}
                <br />
                <small>{t('attachmentBy', { who: a.uploadedBy ?? t('system'), at: fmtTime(a.uploadedAt) })}</small>
                <br />
                {a.kind === 'photo' ? (
                  <button type="button" className="link" onClick={() => setZoom(a.url)}>
                    {t('openAttachment')}
                  </button>
                ) : (
                  <a href={a.url} target="_blank" rel="noreferrer">
                    {t('openAttachment')}
                  </a>
                )}{' '}
                <a href={`${a.url}?download=1`} download>
                  {t('downloadAttachment')}
                </a>
              </span>
            </li>
          ))}
        </ul>
      )}
      {zoom && <Zoom src={zoom} onClose={() => setZoom(null)} />}
      {msg && (
        <p className="error" role="alert">
          {msg}
        </p>
      )}
      {data.mayAdd && (
        <form className="attachment-form" onSubmit={submit}>
          <label>
            {t('attachmentName')}
            <input name="title" maxLength={100} />
          </label>
          <label className="file-pick">
            {t('attachmentFile', { n: ATTACHMENT_MAX_BYTES / 1024 / 1024 })}
            {/* The browser's own file button speaks the browser's language: ours speaks the app's. */}
            <input
              name="file"
              type="file"
              className="visually-hidden"
              accept="image/jpeg,image/png,image/webp,application/pdf"
              required
              onChange={(e) => setPicked(e.currentTarget.files?.[0]?.name ?? null)}
            />
            <span className="pick">
              <span className="button-like">{t('chooseFile')}</span> {picked ?? t('noFileChosen')}
            </span>
          </label>
          <button type="submit" disabled={busy}>
            {busy ? t('uploading') : t('addAttachment')}
          </button>
        </form>
      )}
    </section>
  );
}
