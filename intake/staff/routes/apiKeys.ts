// Admin routes for partner API keys (issue 19): list, create (the key is in the answer once and
// never again), revoke. Every creation and revocation is written to the audit log.
import type { FastifyInstance } from 'fastify';
import { staffApi } from '../../../contract/staff/index.ts';
import { apiKeyById, createApiKey, keyView, listApiKeys, revokeApiKey } from '../../store/apiKeys.ts';
import { auditPartnerAction } from '../../store/partnerAudit.ts';
import { readPartnerSettings } from '../../store/partnerSettings.ts';
import { StaffError, staffRoute, type StaffContext } from '../http.ts';

export function registerApiKeyRoutes(app: FastifyInstance, sc: StaffContext): void {
  const { db, now } = sc;
  staffRoute(app, sc, { route: staffApi.partners.apiKeys, access: 'admin:settings' }, async () => ({ keys: await listApiKeys(db, now()) }));

  staffRoute(app, sc, { route: staffApi.partners.createApiKey, access: 'admin:settings' }, async ({ body, user, request }) => {
    if (body.jurisdictionId) {
      const { jurisdictions } = await readPartnerSettings(db);
      if (!jurisdictions.some((j) => j.id === body.jurisdictionId)) throw new StaffError('bad_request', 'no such jurisdiction');
    }
    const t = now();
    const { id, secret } = await createApiKey(
      db,
      {
        name: body.name,
        scopes: [...new Set(body.scopes)],
        expiresAt: body.expiresInDays ? new Date(t + body.expiresInDays * 86_400_000).toISOString() : null,
        ratePerMinute: body.ratePerMinute,
        jurisdictionId: body.jurisdictionId,
        createdBy: user.username,
      },
      t,
    );
    await auditPartnerAction(db, user, 'api_key_created', `${body.name} [${body.scopes.join(' ')}]`, request.ip, t);
    return { key: keyView((await apiKeyById(db, id))!, t), secret };
  });

  staffRoute(app, sc, { route: staffApi.partners.revokeApiKey, access: 'admin:settings' }, async ({ params, user, request }) => {
    const key = await apiKeyById(db, params.id);
    if (!key) throw new StaffError('not_found', 'no such key');
    const t = now();
    if (!(await revokeApiKey(db, params.id, user.username, t))) throw new StaffError('conflict', 'the key is already revoked');
    await auditPartnerAction(db, user, 'api_key_revoked', key.name, request.ip, t);
    return { key: keyView((await apiKeyById(db, params.id))!, t) };
  });
}
