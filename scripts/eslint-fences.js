// The lint rule behind the import fences (eslint.config.js FENCES; picture in docs/ARCHITECTURE.md
// "Who may import whom"). An allow-list: every import of a project file is resolved to its path in
// the repository and its folder must be on the importing folder's list. Packages are checked too:
// browser folders get no Node built-ins and no server packages, `only` narrows a folder to a few.
// It judges resolved paths, not the text of the specifier, so `../` and `../../` are the same edge.
import path from 'node:path';
import { isBuiltin } from 'node:module';

/** The folder key a repository path falls under: the longest key that is the path or a parent of it. */
export function areaOf(relPath, keys) {
  let best = null;
  for (const key of keys) {
    if ((relPath === key || relPath.startsWith(key + '/')) && (best === null || key.length > best.length)) best = key;
  }
  return best;
}

const packageName = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);

/**
 * options: { root, areas: { folder: [folders it may import] }, files: { 'path/file.ts': [extra folders] },
 *            packages: { folder: { only?: [names], browser?: true } }, serverPackages: [names], electron: [folders] }
 * A folder in `areas` with '*' may import anything of the project.
 */
const allowedImports = {
  meta: {
    type: 'problem',
    schema: [{ type: 'object', additionalProperties: true }],
    messages: {
      folder: '{{from}} may not import {{to}} (allowed: {{allowed}}). Who may import whom: docs/ARCHITECTURE.md.',
      outside: '{{from}} may not import {{to}}, which is outside every fenced folder. Who may import whom: docs/ARCHITECTURE.md.',
      builtin: '{{from}} is browser code: no Node built-in ({{spec}}).',
      server: '{{from}} is browser code: no server package ({{spec}}).',
      only: '{{from}} may import only the packages {{allowed}} ({{spec}}).',
      electron: 'Only {{allowed}} may import electron: the booth core runs in plain Node.',
    },
  },
  create(context) {
    const o = context.options[0];
    const rel = path.relative(o.root, context.filename).split(path.sep).join('/');
    if (rel.startsWith('..')) return {};
    const keys = Object.keys(o.areas);
    const from = areaOf(rel, keys);
    const pkgKey = areaOf(rel, Object.keys(o.packages ?? {}));
    const pkg = pkgKey ? o.packages[pkgKey] : null;
    const electronOk = areaOf(rel, o.electron ?? []) !== null;

    function check(node, spec) {
      if (typeof spec !== 'string') return;
      if (spec.startsWith('.') || spec.startsWith('/')) {
        if (from === null) return;
        const allowed = [...o.areas[from], ...(o.files?.[rel] ?? [])];
        if (allowed.includes('*')) return;
        const target = path
          .relative(o.root, path.resolve(path.dirname(context.filename), spec))
          .split(path.sep)
          .join('/');
        const to = areaOf(target, keys);
        if (to === null) context.report({ node, messageId: 'outside', data: { from, to: target } });
        else if (!allowed.includes(to))
          context.report({ node, messageId: 'folder', data: { from: rel, to: target, allowed: allowed.join(', ') } });
        return;
      }
      const name = packageName(spec);
      if (name === 'electron' && !electronOk) context.report({ node, messageId: 'electron', data: { allowed: o.electron.join(', ') } });
      if (!pkg) return;
      if (pkg.only && !pkg.only.includes(name))
        context.report({ node, messageId: 'only', data: { from: pkgKey, allowed: pkg.only.join(', '), spec } });
      if (pkg.browser && (spec.startsWith('node:') || isBuiltin(spec)))
        context.report({ node, messageId: 'builtin', data: { from: pkgKey, spec } });
      if (pkg.browser && (o.serverPackages ?? []).includes(name))
        context.report({ node, messageId: 'server', data: { from: pkgKey, spec } });
    }
    const literal = (n) => (n && n.type === 'Literal' ? n.value : undefined);
    return {
      ImportDeclaration: (n) => check(n, n.source.value),
      ExportAllDeclaration: (n) => check(n, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
      ImportExpression: (n) => check(n, literal(n.source)),
      TSImportType: (n) => check(n, literal(n.argument?.literal ?? n.argument) ?? n.source?.value),
      TSExternalModuleReference: (n) => check(n, literal(n.expression)),
      CallExpression: (n) => {
        if (n.callee.type === 'Identifier' && n.callee.name === 'require') check(n, literal(n.arguments[0]));
      },
    };
  },
};

export default { rules: { 'allowed-imports': allowedImports } };
