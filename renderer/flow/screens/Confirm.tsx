// Asked before anything the resident made is thrown away (删除 on the review, 回到首页 with
// recordings): the question, what it means, and two large buttons. 否 is the safe one and has the
// focus; the question is spoken (confirm_discard) when it appears (FlowApp).
import { useFlow } from '../context.tsx';
import { Icon } from '../../icons.tsx';
import type { CaptureKind } from '../machine.ts';

export function ConfirmDialog() {
  const { t, state, dispatch } = useFlow();
  const ask = state.confirm;
  if (!ask) return null;
  let line = t.confirmHomeLine;
  if (ask.action === 'delete') {
    // The same label the review card shows ("录像 1"): kind and its position among that kind.
    const item = state.items.find((i) => i.id === ask.id);
    const kind: CaptureKind = item?.kind ?? 'video';
    const n = state.items.filter((i) => i.kind === kind).findIndex((i) => i.id === ask.id) + 1;
    line = t.confirmDeleteLine(t.itemLabel(kind, n));
  }
  return (
    <div className="overlay">
      <div
        className="dialog dialog-confirm"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="confirm-title"
        aria-describedby="confirm-line"
      >
        <h2 id="confirm-title">{t.confirmDiscardTitle}</h2>
        <p id="confirm-line" className="lead">
          {line}
        </p>
        <div className="row confirm-row">
          <button type="button" className="btn btn-danger" data-answer="yes" onClick={() => dispatch({ type: 'ANSWER', yes: true })}>
            <Icon name="trash" /> {t.confirmYes}
          </button>
          <button
            type="button"
            className="btn btn-primary"
            data-answer="no"
            autoFocus
            onClick={() => dispatch({ type: 'ANSWER', yes: false })}
          >
            <Icon name="check" /> {t.confirmNo}
          </button>
        </div>
      </div>
    </div>
  );
}
