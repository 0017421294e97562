import type { ReactNode } from 'react';

export function MessageScreen({ title, text, busy, children }: { title: string; text?: string; busy?: boolean; children?: ReactNode }) {
  return (
    <main className="screen message" aria-busy={busy ?? false}>
      <h2 role={busy ? 'status' : 'alert'}>{title}</h2>
      {text && <p className="text">{text}</p>}
      {children && <div className="actions">{children}</div>}
    </main>
  );
}
