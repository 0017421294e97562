// Public surface of the ID-card driver for the booth core (main/). Everything else is internal.
export type { CardType, IdCard, WltPhoto, ValidTo } from './card.ts';
export { CARD_TYPES } from './card.ts';
export type { Gender } from './codes.ts';
export { ReaderSession } from './session.ts';
export type { CardEvent, ReaderError, ReaderErrorCode, ReaderEvents, ReaderSessionOptions, ReaderState, ReaderStatus } from './session.ts';
export { detectReader, listReaderPorts, parseReaderPort, readerPortInfo, readerPortName, samStatusAnswer, transportFactoryFor } from './detect.ts';
export type { ListPortsOptions, ReaderLocation, ReaderPortInfo } from './detect.ts';
export { DeviceAbsentError } from './transport.ts';
export type { Transport, TransportFactory } from './transport.ts';
export { SimulatedReader } from './simulator/device.ts';
export { CARD_FIXTURES, findFixture } from './simulator/cards.ts';
export { startPtySimulator } from './simulator/pty.ts';
export { parseBaud, READER_BAUD, wireTimeMs } from './simulator/pacing.ts';
export type { PtySimulator } from './simulator/pty.ts';
export { serialTransportFactory } from './transports/serial.ts';
export { loadWltDecoder, photoOrPlaceholder, placeholderDataUrl } from './photo.ts';
export type { WltDecoder, DecodedPhoto } from './photo.ts';
export { runRead, runSimulate } from './tool.ts';
