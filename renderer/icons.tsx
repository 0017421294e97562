// Simple line icons drawn inline (no icon font, nothing to fetch), sized by the surrounding text.
// aria-hidden: every button also carries its words, which are its accessible name.
import type { ReactElement } from 'react';

export type IconName =
  | 'photo'
  | 'video'
  | 'audio'
  | 'back'
  | 'home'
  | 'person'
  | 'idcard'
  | 'check'
  | 'redo'
  | 'trash'
  | 'plus'
  | 'play'
  | 'pause'
  | 'stop'
  | 'document'
  | 'face'
  | 'printer'
  | 'phone'
  | 'delete'
  | 'globe'
  | 'property'
  | 'sanitation'
  | 'noise'
  | 'transport'
  | 'heating'
  | 'consultation'
  | 'other'
  | 'place'
  | 'warning';

const P: Record<IconName, ReactElement> = {
  photo: (
    <>
      <rect x="3" y="7" width="18" height="13" rx="2" />
      <circle cx="12" cy="13.5" r="3.5" />
      <path d="M8 7l2-3h4l2 3" />
    </>
  ),
  video: (
    <>
      <rect x="2" y="6" width="14" height="12" rx="2" />
      <path d="M16 10l6-3v10l-6-3z" />
    </>
  ),
  audio: (
    <>
      <rect x="9" y="2" width="6" height="12" rx="3" />
      <path d="M5 11a7 7 0 0 0 14 0M12 18v4M8 22h8" />
    </>
  ),
  back: <path d="M15 4l-8 8 8 8" />,
  home: <path d="M3 11l9-8 9 8M5 9v11h5v-6h4v6h5V9" />,
  person: (
    <>
      <circle cx="12" cy="8" r="4" />
      <path d="M4 21c1-5 4-7 8-7s7 2 8 7" />
    </>
  ),
  idcard: (
    <>
      <rect x="2" y="5" width="20" height="14" rx="2" />
      <circle cx="8" cy="12" r="2.5" />
      <path d="M13 10h6M13 14h5" />
    </>
  ),
  check: <path d="M4 12l5 5L20 6" />,
  redo: <path d="M20 12a8 8 0 1 1-3-6.2M20 4v5h-5" />,
  trash: <path d="M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13" />,
  plus: <path d="M12 4v16M4 12h16" />,
  play: <path d="M7 4l13 8-13 8z" />,
  pause: <path d="M7 4v16M17 4v16" />,
  stop: <rect x="6" y="6" width="12" height="12" rx="1" />,
  document: (
    <>
      <path d="M6 2h9l5 5v15H6z" />
      <path d="M14 2v6h6M9 13h8M9 17h8" />
    </>
  ),
  face: (
    <>
      <circle cx="12" cy="12" r="9" />
      <circle cx="9" cy="10" r="1" />
      <circle cx="15" cy="10" r="1" />
      <path d="M8 15c2 2 6 2 8 0" />
    </>
  ),
  printer: (
    <>
      <path d="M6 9V3h12v6" />
      <rect x="3" y="9" width="18" height="8" rx="1" />
      <path d="M6 14h12v7H6z" />
    </>
  ),
  phone: <path d="M5 3h4l2 5-2.5 1.5a11 11 0 0 0 6 6L16 13l5 2v4a2 2 0 0 1-2 2A17 17 0 0 1 3 5a2 2 0 0 1 2-2z" />,
  delete: <path d="M21 5H9l-6 7 6 7h12zM12 9l6 6M18 9l-6 6" />,
  globe: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M3 12h18M12 3c3 3 3 15 0 18M12 3c-3 3-3 15 0 18" />
    </>
  ),
  property: (
    <>
      <path d="M4 21V8l8-5 8 5v13z" />
      <path d="M9 21v-6h6v6M9 11h2M13 11h2" />
    </>
  ),
  sanitation: (
    <>
      <path d="M5 7h14l-1 14H6z" />
      <path d="M3 7h18M9 7V4h6v3M10 11v6M14 11v6" />
    </>
  ),
  noise: (
    <>
      <path d="M3 10v4h4l5 4V6L7 10z" />
      <path d="M16 8a5 5 0 0 1 0 8M19 5a9 9 0 0 1 0 14" />
    </>
  ),
  transport: (
    <>
      <rect x="4" y="4" width="16" height="12" rx="2" />
      <path d="M4 11h16M7 20l1-4M17 20l-1-4" />
      <circle cx="8" cy="14" r="0.5" />
      <circle cx="16" cy="14" r="0.5" />
    </>
  ),
  heating: <path d="M8 21c-3-3-1-6 1-8s2-5 0-8c4 2 6 5 6 8 1-1 1-3 1-4 2 2 3 5 2 8-1 3-4 4-6 4" />,
  consultation: (
    <>
      <path d="M4 4h16v12H9l-5 4z" />
      <path d="M10 8a2 2 0 1 1 2 2v1M12 13.5v.5" />
    </>
  ),
  other: (
    <>
      <circle cx="6" cy="12" r="1.5" />
      <circle cx="12" cy="12" r="1.5" />
      <circle cx="18" cy="12" r="1.5" />
    </>
  ),
  place: (
    <>
      <path d="M12 22s7-7 7-12a7 7 0 0 0-14 0c0 5 7 12 7 12z" />
      <circle cx="12" cy="10" r="2.5" />
    </>
  ),
  warning: (
    <>
      <path d="M12 3l10 18H2z" />
      <path d="M12 10v5M12 18v.5" />
    </>
  ),
};

export function Icon({ name, size = '1.4em' }: { name: IconName; size?: string }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {P[name]}
    </svg>
  );
}
