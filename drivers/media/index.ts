export { runTool, ToolError } from './run.ts';
export { probe, parseProbe, type MediaProbe } from './probe.ts';
export { remux, posterFrame } from './transform.ts';
