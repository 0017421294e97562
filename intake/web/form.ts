// Reading a submitted form in the staff app: each field as text ('' when the form has no such
// field), the browser's own submit prevented. Pages build typed API bodies from it.
import type { FormEvent } from 'react';

export interface Fields {
  get(name: string): string;
  getAll(name: string): string[];
}

export function formFields(e: FormEvent<HTMLFormElement>): Fields {
  e.preventDefault();
  const data = new FormData(e.currentTarget);
  const text = (v: FormDataEntryValue | null) => (typeof v === 'string' ? v : '');
  return { get: (name) => text(data.get(name)), getAll: (name) => data.getAll(name).map(text) };
}
