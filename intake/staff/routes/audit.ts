// The audit log, for admins: as JSON and as CSV.
import type { FastifyInstance } from 'fastify';
import { staffApi } from '../../../contract/staff/index.ts';
import { toCsv } from '../../casework/csv.ts';
import { staffRoute, type StaffContext } from '../http.ts';
import { auditEntries } from '../../store/audit.ts';

export function registerAuditRoutes(app: FastifyInstance, sc: StaffContext): void {
  const auditRows = () => auditEntries(sc.db);
  staffRoute(app, sc, { route: staffApi.reports.audit, access: 'audit:read' }, async () => ({ entries: await auditRows() }));
  staffRoute(app, sc, { route: staffApi.reports.auditCsv, access: 'audit:read' }, async ({ reply }) => {
    const rows = await auditRows();
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="audit-log.csv"')
      .send(
        toCsv(
          ['时间 at', '用户 user', '操作 action', '工单编号 case', '原因 reason', 'IP', '变更 change'],
          rows.map((r) => [r.at, r.username, r.action, r.case_number, r.reason, r.ip, r.detail ?? '']),
        ),
      );
  });
}
