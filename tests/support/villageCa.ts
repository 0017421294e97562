// A throwaway village certificate authority made with openssl: a CA and a server certificate for
// 127.0.0.1 signed by it (what a village that runs its own back office has), in `dir`.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface VillageCa {
  /** The CA certificate (PEM). */
  ca: Buffer;
  /** The server's key and certificate for 127.0.0.1, signed by the CA. */
  key: Buffer;
  cert: Buffer;
  caFile: string;
}

export function makeVillageCa(dir: string, cn = 'Village test CA'): VillageCa {
  const openssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', `/CN=${cn}`]);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  openssl([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'ext.cnf',
  ]);
  return {
    ca: readFileSync(path.join(dir, 'ca.pem')),
    key: readFileSync(path.join(dir, 'server.key')),
    cert: readFileSync(path.join(dir, 'server.pem')),
    caFile: path.join(dir, 'ca.pem'),
  };
}
