export { runTool, ToolError } from './run.ts';
export { probe, parseProbe, type MediaProbe } from './probe.ts';
export { remux, posterFrame, transcodeVideoMp4, transcodeAudioM4a, copyForPlayback, type Background } from './transform.ts';
export { admitMedia, sniffImage, AdmissionError, type AdmitKind, type ImageFormat } from './admit.ts';
