// Summary: what will be sent, then 立即上传. Submitting shows a wait; errors come back here.
import { useFlow } from '../context.tsx';
import { Icon } from '../../icons.tsx';
import { formatPhone } from '../phone.ts';
import { Frame } from './Frame.tsx';
import { boothCategories, categoryLabel } from '../categories.ts';

export function SummaryScreen({ onSubmit }: { onSubmit: () => void }) {
  const { t, state, dispatch, lang, settings } = useFlow();
  const count = (k: 'video' | 'audio' | 'photo') => state.items.filter((i) => i.kind === k).length;
  const items = (['video', 'audio', 'photo'] as const)
    .filter((k) => count(k) > 0)
    .map((k) => `${t.kind[k]} × ${count(k)}`)
    .join(lang === 'zh-CN' ? '，' : ', ');
  return (
    <Frame title={t.summaryTitle}>
      <p className="lead">{t.summaryLine}</p>
      <dl className="summary">
        <dt>{t.summaryIdentity}</dt>
        <dd>{state.identity === 'realname' ? t.realname : t.anonymous}</dd>
        <dt>{t.summaryPhone}</dt>
        <dd>
          {state.phone ? formatPhone(state.phone) : t.summaryNoPhone}{' '}
          <button type="button" className="btn btn-quiet btn-inline" onClick={() => dispatch({ type: 'EDIT_PHONE' })}>
            <Icon name="phone" /> {t.changePhone}
          </button>
        </dd>
        <dt>{t.summaryItems}</dt>
        <dd>{items}</dd>
        <dt>{t.summaryCategory}</dt>
        <dd>{state.category ? categoryLabel(boothCategories(settings), state.category, lang) : t.notChosen}</dd>
        <dt>{t.summaryLocation}</dt>
        <dd>{state.location ?? t.notChosen}</dd>
      </dl>
      <p className="summary-keep">{t.summaryKeep(settings.resident.keepDaysAfterDelivery)}</p>
      {state.error && (
        <p className="error" role="alert">
          {state.error === 'disk_full' ? t.storageFull : t.submitFailed}
        </p>
      )}
      <div className="row bottom-row">
        <button type="button" className="btn btn-upload" onClick={onSubmit}>
          <Icon name="check" size="2.29rem" /> {t.uploadNow}
        </button>
      </div>
    </Frame>
  );
}

export function SubmittingScreen() {
  const { t } = useFlow();
  return (
    <main className="screen screen-wait">
      <div className="spinner" aria-hidden="true" />
      <h1 role="status">{t.submittingTitle}</h1>
    </main>
  );
}
