// Units (the offices cases are dispatched to), for admins: list and create.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { StaffError, staffRoute, type StaffContext } from '../http.ts';
import { writeAudit } from '../../store/audit.ts';
import { insertUnit, listUnits, unitNameTaken } from '../../store/units.ts';

export function registerUnitRoutes(app: FastifyInstance, sc: StaffContext): void {
  const { db, now } = sc;
  staffRoute(app, sc, { method: 'GET', url: '/staff/api/admin/units', access: 'admin:units' }, async () => ({ units: await listUnits(db) }));
  staffRoute(app, sc, { method: 'POST', url: '/staff/api/admin/units', access: 'admin:units', body: z.object({ name: z.string().trim().min(1).max(40) }) }, async ({ body, user, request }) => {
    if (await unitNameTaken(db, body.name)) throw new StaffError('conflict', 'unit_exists');
    const id = crypto.randomUUID();
    await db.transaction().execute(async (trx) => {
      await insertUnit(trx, { id, name: body.name });
      await writeAudit(trx, { at: now(), user, action: 'unit_created', reason: body.name, ip: request.ip, after: { id, name: body.name } });
    });
    return { unit: { id, name: body.name } };
  });
}
