// The part of the qrcode package the kiosk uses (Receipt.tsx), typed for the browser build.
// tsconfig.dom.json maps 'qrcode' here because @types/qrcode starts with
// `/// <reference types="node" />`, which would pull Node's globals (Buffer, process) into every
// renderer file. Vite still bundles the package's own browser build.
declare const QRCode: {
  toString(text: string, options: { type: 'svg'; errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H'; margin?: number }): Promise<string>;
};
export default QRCode;
