export { runTool, ToolError } from './run.ts';
export { probe, parseProbe, type MediaProbe } from './probe.ts';
export { streamCopy, posterFrame, transcodeForPlayback, type Background, type PlaybackKind } from './transform.ts';
export { admitMedia, sniffImage, AdmissionError, type AdmitKind, type ImageFormat } from './admit.ts';
