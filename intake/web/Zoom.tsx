// A photo full screen, with zoom (wheel or buttons) and drag to pan: documents need to be read.
// Used for a case's photos and its staff attachments.
import { useState } from 'react';

/** Full-screen photo with zoom (wheel or buttons) and drag to pan: documents need to be read. */
export function Zoom({ src, onClose }: { src: string; onClose: () => void }) {
  const [scale, setScale] = useState(1);
  const [pos, setPos] = useState({ x: 0, y: 0 });
  const [drag, setDrag] = useState<{ x: number; y: number } | null>(null);
  return (
    <div
      className="zoom"
      role="dialog"
      onWheel={(e) => setScale((s) => Math.min(8, Math.max(1, s * (e.deltaY < 0 ? 1.2 : 1 / 1.2))))}
      onMouseDown={(e) => setDrag({ x: e.clientX - pos.x, y: e.clientY - pos.y })}
      onMouseMove={(e) => drag && setPos({ x: e.clientX - drag.x, y: e.clientY - drag.y })}
      onMouseUp={() => setDrag(null)}
    >
      <img src={src} alt="" draggable={false} style={{ transform: `translate(${pos.x}px, ${pos.y}px) scale(${scale})` }} />
      <div className="zoom-bar">
        <button type="button" onClick={() => setScale((s) => Math.min(8, s * 1.5))}>
          ＋
        </button>
        <button type="button" onClick={() => setScale((s) => Math.max(1, s / 1.5))}>
          －
        </button>
        <button
          type="button"
          onClick={() => {
            setScale(1);
            setPos({ x: 0, y: 0 });
          }}
        >
          1:1
        </button>
        <button type="button" onClick={onClose}>
          ✕
        </button>
      </div>
    </div>
  );
}
