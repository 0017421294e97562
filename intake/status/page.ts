// The resident's status page as plain HTML (no script, inline style): mobile first, large type,
// Chinese first with an English version (?lang=en). Everything shown is escaped.
import { DEFAULT_TIME_ZONE } from '../../lib/time.ts';
import { groupResidentNumber } from '../../lib/vocab.ts';
import type { PublicCaseStatus } from '../store/residentStatus.ts';

export type PageLang = 'zh-CN' | 'en';
type Reach = { kind: 'token'; token: string } | { kind: 'lookup'; number: string; phoneLast4: string };

const W = {
  'zh-CN': {
    title: '说吧 · 办理进度',
    caseNumber: '编号',
    caseNo: '工单号',
    steps: ['已收到', '已交给承办单位', '已答复', '已办结'],
    waiting: '还没有',
    answer: '承办单位的答复',
    rateTitle: '您对办理结果满意吗？',
    rate: { satisfied: '满意', basically: '基本满意', unsatisfied: '不满意' },
    rated: (r: string) => `您的评价：${r}。谢谢！`,
    thanks: '已经收到您的评价，谢谢！',
    rateLater: '答复以后可以在这里评价。',
    lookupTitle: '查询办理进度',
    lookupLine: '请输入回执上的8位编号（或工单号）和您留的电话的后四位。',
    number: '编号',
    last4: '电话后四位',
    search: '查询',
    notFound: '没有找到。请核对编号和电话后四位，或者扫描回执上的二维码。',
    limited: '查询次数太多了，请过一会儿再试。',
    other: 'English',
    otherLang: 'en',
    help: '有疑问请拨打12345。',
    renumbered: (n: string) => `您回执上的编号 ${n} 和另一件事重了，已经换成上面这个编号。以后请用新编号查询。`,
  },
  en: {
    title: 'Say it · Progress',
    caseNumber: 'Number',
    caseNo: 'Case',
    steps: ['Received', 'Passed to the unit in charge', 'Answered', 'Closed'],
    waiting: 'Not yet',
    answer: 'The answer of the unit in charge',
    rateTitle: 'Are you satisfied with the result?',
    rate: { satisfied: 'Satisfied', basically: 'Mostly satisfied', unsatisfied: 'Not satisfied' },
    rated: (r: string) => `Your rating: ${r}. Thank you!`,
    thanks: 'Your rating has been received. Thank you!',
    rateLater: 'You can rate the result here once it is answered.',
    lookupTitle: 'Look up the progress',
    lookupLine: 'Enter the 8-digit number on your receipt (or the case number) and the last 4 digits of the phone number you left.',
    number: 'Number',
    last4: 'Last 4 digits of the phone',
    search: 'Look up',
    notFound: 'Nothing found. Check the number and the digits, or scan the QR code on your receipt.',
    limited: 'Too many tries. Please try again later.',
    other: '中文',
    otherLang: 'zh-CN',
    help: 'Questions: call 12345.',
    renumbered: (n: string) =>
      `The number on your receipt, ${n}, was already used by another case, so yours now has the number above. Use the new number from now on.`,
  },
} as const;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function day(iso: string | null): string | null {
  if (!iso) return null;
  return new Intl.DateTimeFormat('en-CA', { timeZone: DEFAULT_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    Date.parse(iso),
  );
}

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:20px/1.5 system-ui,"Noto Sans CJK SC","Noto Sans",sans-serif;color:#111;background:#fff}
main{max-width:40rem;margin:0 auto;padding:16px}
header{display:flex;justify-content:space-between;align-items:center;gap:12px}
h1{font-size:1.5rem;margin:8px 0}h2{font-size:1.25rem;margin:24px 0 8px}
.lang{font-size:1.25rem;color:#0b4fb3;padding:12px;display:inline-block;min-height:48px}
.num{font-size:1.6rem;font-weight:bold;letter-spacing:.04em;overflow-wrap:anywhere;margin:0}
.rnum{font-size:2.6rem;font-weight:bold;letter-spacing:.06em;font-variant-numeric:tabular-nums;white-space:nowrap;margin:0}
.case{margin:4px 0 0}
ol{list-style:none;padding:0;margin:16px 0}
li{display:flex;justify-content:space-between;gap:12px;padding:12px 0;border-bottom:1px solid #ccc}
li .mark{font-weight:bold}li.done .mark{color:#1b6e20}li.todo{color:#555}
.answer{background:#f3f6fb;border-left:6px solid #0b4fb3;padding:12px 16px;white-space:pre-wrap;overflow-wrap:anywhere}
form.rate{display:flex;flex-direction:column;gap:12px}
button,input{font:inherit}
button{min-height:56px;border-radius:12px;border:2px solid #0b4fb3;background:#0b4fb3;color:#fff;font-weight:bold;padding:8px 16px}
button.alt{background:#fff;color:#0b4fb3}
label{display:block;margin-top:12px;font-weight:bold}
input{width:100%;min-height:56px;padding:8px 12px;border:2px solid #555;border-radius:12px}
.error{color:#a11;font-weight:bold}.note{color:#333}
@media (min-width:900px){body{font-size:22px}form.rate{flex-direction:row}form.rate button{flex:1}}
`;

function page(lang: PageLang, body: string, langHref: string): string {
  const w = W[lang];
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><meta name="robots" content="noindex"><title>${esc(w.title)}</title><style>${STYLE}</style></head><body><main><header><h1>${esc(w.title)}</h1><a class="lang" lang="${w.otherLang}" href="${esc(langHref)}">${esc(w.other)}</a></header>${body}<p class="note">${esc(w.help)}</p></main></body></html>`;
}

export function renderStatus(lang: PageLang, s: PublicCaseStatus, reach: Reach, justRated: boolean): string {
  const w = W[lang];
  const dates = [s.receivedAt, s.assignedAt, s.answeredAt, s.closedAt].map(day);
  const steps = w.steps
    .map((name, i) => {
      const d = dates[i];
      return `<li class="${d ? 'done' : 'todo'}"><span>${esc(name)}</span><span class="mark">${d ? `✓ ${esc(d)}` : esc(w.waiting)}</span></li>`;
    })
    .join('');
  const action = reach.kind === 'token' ? `/s/${reach.token}` : '/s';
  const q = lang === 'en' ? '?lang=en' : '';
  const hidden =
    reach.kind === 'lookup'
      ? `<input type="hidden" name="number" value="${esc(reach.number)}"><input type="hidden" name="phoneLast4" value="${esc(reach.phoneLast4)}">`
      : '';
  let rating: string;
  if (s.rating) rating = `<p>${esc(justRated ? w.thanks : w.rated(w.rate[s.rating]))}</p>`;
  else if (s.canRate) {
    rating = `<form class="rate" method="post" action="${esc(action + q)}">${hidden}${(['satisfied', 'basically', 'unsatisfied'] as const)
      .map((r, i) => `<button type="submit" name="rating" value="${r}"${i > 0 ? ' class="alt"' : ''}>${esc(w.rate[r])}</button>`)
      .join('')}</form>`;
  } else rating = `<p class="note">${esc(w.rateLater)}</p>`;
  // The number the resident holds, large in its two groups; the case number (staff's, 12345's) small beneath.
  const number = s.residentNumber
    ? `<p class="rnum">${esc(groupResidentNumber(s.residentNumber))}</p><p class="case">${esc(w.caseNo)} ${esc(s.caseNumber)}</p>`
    : `<p class="num">${esc(s.caseNumber)}</p>`;
  const receipt = s.receiptNumber ? (/^\d{8}$/.test(s.receiptNumber) ? groupResidentNumber(s.receiptNumber) : s.receiptNumber) : null;
  const renumbered = receipt ? `<p class="note" role="note">${esc(w.renumbered(receipt))}</p>` : '';
  const body = `<p>${esc(w.caseNumber)}</p>${number}${renumbered}<ol>${steps}</ol>${s.answer ? `<h2>${esc(w.answer)}</h2><p class="answer">${esc(s.answer)}</p>` : ''}<h2>${esc(w.rateTitle)}</h2>${rating}`;
  // The other language keeps the way in: the token page by its link, a lookup by asking again.
  const langHref = reach.kind === 'token' ? `/s/${reach.token}${lang === 'en' ? '' : '?lang=en'}` : `/s${lang === 'en' ? '' : '?lang=en'}`;
  return page(lang, body, langHref);
}

export function renderLookup(lang: PageLang, problem: 'not_found' | 'rate_limited' | null, number = ''): string {
  const w = W[lang];
  const q = lang === 'en' ? '?lang=en' : '';
  const error = problem ? `<p class="error" role="alert">${esc(problem === 'rate_limited' ? w.limited : w.notFound)}</p>` : '';
  const body = `<h2>${esc(w.lookupTitle)}</h2><p>${esc(w.lookupLine)}</p>${error}<form method="post" action="/s${q}"><label for="number">${esc(w.number)}</label><input id="number" name="number" value="${esc(number)}" autocomplete="off" required><label for="last4">${esc(w.last4)}</label><input id="last4" name="phoneLast4" inputmode="numeric" pattern="[0-9]{4}" maxlength="4" autocomplete="off" required><p><button type="submit">${esc(w.search)}</button></p></form>`;
  return page(lang, body, `/s${lang === 'en' ? '' : '?lang=en'}`);
}
