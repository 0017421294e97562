// Units (the offices cases are dispatched to), for admins: list and create.
import type { FastifyInstance } from 'fastify';
import { staffApi } from '../../../contract/staff/index.ts';
import { StaffError, staffRoute, type StaffContext } from '../http.ts';
import { writeAudit } from '../../store/audit.ts';
import { insertUnit, listUnits, unitNameTaken } from '../../store/units.ts';

export function registerUnitRoutes(app: FastifyInstance, sc: StaffContext): void {
  const { db, now } = sc;
  staffRoute(app, sc, { route: staffApi.admin.units, access: 'admin:units' }, async () => ({ units: await listUnits(db) }));
  staffRoute(app, sc, { route: staffApi.admin.createUnit, access: 'admin:units' }, async ({ body, user, request }) => {
    if (await unitNameTaken(db, body.name)) throw new StaffError('conflict', 'unit_exists');
    const id = crypto.randomUUID();
    await db.transaction().execute(async (trx) => {
      await insertUnit(trx, { id, name: body.name });
      await writeAudit(trx, { at: now(), user, action: 'unit_created', reason: body.name, ip: request.ip, after: { id, name: body.name } });
    });
    return { unit: { id, name: body.name } };
  });
}
