// Every `booth` command. Adding one: write main/cli/NAME.ts (or a driver's cli module) and list it here.
import type { CliCommand } from './command.ts';
import { statusCommand } from './status.ts';
import { idcardReadCommand, idcardSimulateCommand } from './idcard.ts';
import { doctorCommand } from '../doctor/command.ts';
import { logsExportCommand } from '../logsExport/command.ts';
import { pinCommand } from './pin.ts';
import { provisionCommand } from './provision.ts';
import { queueCommand } from './queue.ts';

export const commands: CliCommand[] = [
  statusCommand,
  queueCommand,
  idcardReadCommand,
  idcardSimulateCommand,
  provisionCommand,
  pinCommand,
  doctorCommand,
  logsExportCommand,
];
