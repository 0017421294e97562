// Public surface of the ID-card driver for the booth core (main/). Everything else is internal.
// The simulator and the test cards have their own entry (simulator/index.ts): no test part here.
export type { CardType, IdCard, WltPhoto, ValidTo } from './card.ts';
export { CARD_TYPES } from './card.ts';
export type { Gender } from './codes.ts';
export { ReaderSession } from './session.ts';
export type { CardEvent, ReaderError, ReaderErrorCode, ReaderEvents, ReaderSessionOptions, ReaderState, ReaderStatus } from './session.ts';
export {
  detectReader,
  listReaderPorts,
  parseReaderPort,
  readerPortInfo,
  readerPortName,
  samStatusAnswer,
  transportFactoryFor,
} from './detect.ts';
export type { ListPortsOptions, ReaderLocation, ReaderPortInfo } from './detect.ts';
export { DeviceAbsentError } from './transport.ts';
export type { Transport, TransportFactory } from './transport.ts';
export { serialTransportFactory } from './transports/serial.ts';
export { loadWltDecoder, photoOrPlaceholder, placeholderDataUrl } from './photo.ts';
export type { WltDecoder, DecodedPhoto } from './photo.ts';
export { runRead } from './tool.ts';
