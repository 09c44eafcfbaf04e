// Writes a synthetic app of realistic shape: an entry (`src/main.js`) with core modules and vendor
// packages in node_modules, lazily loaded routes, and groups of modules shared by a few routes.
// Every bundler splits it the same way: one entry chunk, one chunk per route, one per shared group.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type ModuleImport, moduleSource } from './module-source';
import { createRandom, type Random } from './random';
import { type AppShape, GENERATOR_VERSION } from './shape';
import { ADJECTIVES, camel, kebab, NOUNS, VERBS } from './words';

export interface GeneratedApp {
  root: string;
  /** Entry relative to `root`. */
  entry: string;
  modules: number;
  /** Expected JS chunks: entry + routes + shared groups. */
  chunks: number;
  sourceBytes: number;
}

interface Planned {
  file: string;
  exportName: string;
  noun: string;
  imports: ModuleImport[];
  style: 'app' | 'library';
}

function targetBytes(random: Random, mean: number): number {
  return Math.round(mean * (0.3 + 1.2 * random.next() + (random.chance(0.05) ? 2 : 0)));
}

function relative(from: string, to: string): string {
  const rel = path.posix.relative(path.posix.dirname(from), to);
  return rel.startsWith('.') ? rel : `./${rel}`;
}

function createNamer(random: Random) {
  let counter = 0;
  return (noun: string) => `${camel(random.pick(VERBS), noun)}${counter++}`;
}

/** Plans every module (file, name, imports) before writing any, so imports only point backwards. */
function plan(shape: AppShape, random: Random) {
  const name = createNamer(random);
  const modules: Planned[] = [];
  const extra: Array<{ file: string; source: string }> = [];
  const coreCount = Math.max(5, Math.round(shape.modules * 0.03));
  const libraryCount = Math.round(shape.modules * 0.1);
  const sharedCount = Math.round(shape.modules * 0.2);
  const routeCount = shape.modules - coreCount - libraryCount - sharedCount;

  const add = (file: string, style: Planned['style'], imports: ModuleImport[], noun = random.pick(NOUNS)) => {
    const planned = { file, exportName: name(noun), noun, imports, style };
    modules.push(planned);
    return planned;
  };
  // Up to `count` earlier siblings as default imports.
  const siblings = (pool: Planned[], self: string, count: number): ModuleImport[] =>
    random
      .sample(pool, Math.min(count, pool.length))
      .map((m) => ({ name: m.exportName, from: relative(self, m.file) }));

  const libraries: Array<{ name: string; index: string; members: string[] }> = [];
  for (let l = 0; l < shape.libraries; l++) {
    const pkg = `@bench/lib-${String(l).padStart(2, '0')}-${kebab(random.pick(NOUNS))}`;
    const dir = `node_modules/${pkg}`;
    const own: Planned[] = [];
    const size = Math.floor(libraryCount / shape.libraries) + (l < libraryCount % shape.libraries ? 1 : 0);
    for (let i = 0; i < size; i++) {
      const file = `${dir}/src/${kebab(random.pick(ADJECTIVES), random.pick(NOUNS))}-${i}.js`;
      own.push(add(file, 'library', siblings(own, file, random.int(0, 2))));
    }
    const members = own.map((m) => m.exportName);
    extra.push(
      {
        file: `${dir}/package.json`,
        source: `${JSON.stringify({ name: pkg, version: `${random.int(1, 9)}.${random.int(0, 20)}.${random.int(0, 9)}`, type: 'module', main: 'index.js', sideEffects: false }, null, 2)}\n`,
      },
      {
        file: `${dir}/index.js`,
        source: `${own.map((m) => `import ${m.exportName} from '${relative(`${dir}/index.js`, m.file)}';`).join('\n')}\n\nexport default { ${members.join(', ')} };\n`,
      },
    );
    libraries.push({ name: camel('lib', String(l)), index: pkg, members });
  }
  const library = (): ModuleImport => {
    const lib = random.pick(libraries);
    return { name: lib.name, from: lib.index, members: lib.members };
  };

  const core: Planned[] = [];
  for (let i = 0; i < coreCount; i++) {
    const file = `src/core/${kebab(random.pick(NOUNS))}-${i}.js`;
    // Every library is imported by the core, so all vendor code lands in the entry chunk.
    const libs = i < libraries.length ? [libraries[i]!] : random.chance(0.5) ? [random.pick(libraries)] : [];
    const libImports = libs.map((lib) => ({ name: lib.name, from: lib.index, members: lib.members }));
    core.push(add(file, 'app', [...siblings(core, file, random.int(0, 2)), ...libImports]));
  }

  const groups: Array<{ index: string; name: string; members: string[]; routes: number[] }> = [];
  for (let g = 0; g < shape.sharedGroups; g++) {
    const dir = `src/shared/${kebab(random.pick(ADJECTIVES), random.pick(NOUNS))}-${g}`;
    const own: Planned[] = [];
    const size =
      Math.floor(sharedCount / shape.sharedGroups) + (g < sharedCount % shape.sharedGroups ? 1 : 0);
    for (let i = 0; i < size; i++) {
      const file = `${dir}/${kebab(random.pick(NOUNS))}-${i}.js`;
      own.push(
        add(file, 'app', [
          ...siblings(own, file, random.int(0, 2)),
          ...(random.chance(0.3) ? [library()] : []),
        ]),
      );
    }
    const members = own.map((m) => m.exportName);
    extra.push({
      file: `${dir}/index.js`,
      source: `${own.map((m) => `import ${m.exportName} from '${relative(`${dir}/index.js`, m.file)}';`).join('\n')}\n\nexport default { ${members.join(', ')} };\n`,
    });
    const routes = random.sample(
      Array.from({ length: shape.routes }, (_, r) => r),
      Math.min(shape.routes, random.int(2, 4)),
    );
    groups.push({ index: `${dir}/index.js`, name: camel('shared', String(g)), members, routes });
  }

  const routes: Array<{ index: string; name: string }> = [];
  for (let r = 0; r < shape.routes; r++) {
    const routeName = `${kebab(random.pick(ADJECTIVES), random.pick(NOUNS))}-${r}`;
    const dir = `src/routes/${routeName}`;
    const mine = groups.filter((group) => group.routes.includes(r));
    const own: Planned[] = [];
    const size = Math.floor(routeCount / shape.routes) + (r < routeCount % shape.routes ? 1 : 0);
    for (let i = 0; i < size; i++) {
      const file = `${dir}/${kebab(random.pick(NOUNS))}-${i}.js`;
      const imports = siblings(own, file, random.int(0, 2));
      if (mine.length && random.chance(0.4)) {
        const group = random.pick(mine);
        imports.push({ name: group.name, from: relative(file, group.index), members: group.members });
      }
      if (random.chance(0.2)) imports.push(library());
      own.push(add(file, 'app', imports));
    }
    const index = `${dir}/index.js`;
    const lines = [
      ...own.map((m) => `import ${m.exportName} from '${relative(index, m.file)}';`),
      ...mine.map((group) => `import ${group.name} from '${relative(index, group.index)}';`),
      '',
      `export default {`,
      `  name: '${routeName}',`,
      `  shared: [${mine.map((group) => group.name).join(', ')}],`,
      `  mount(context) {`,
      `    return [${own.map((m) => m.exportName).join(', ')}].map((render) => render(context.items ?? [], context));`,
      `  },`,
      `};`,
    ];
    extra.push({ file: index, source: `${lines.join('\n')}\n` });
    routes.push({ index: `./${path.posix.relative('src', index)}`, name: routeName });
  }

  const main = [
    ...core.map((m) => `import ${m.exportName} from '${relative('src/main.js', m.file)}';`),
    '',
    'const routes = {',
    ...routes.map((route) => `  '${route.name}': () => import('${route.index}'),`),
    '};',
    '',
    `const context = [${core.map((m) => m.exportName).join(', ')}].reduce((state, step) => step(state.items ?? [], state), { items: [] });`,
    '',
    'export async function navigate(name) {',
    `  const load = routes[name] ?? routes['${routes[0]?.name ?? ''}'];`,
    '  const page = await load();',
    '  return page.default.mount(context);',
    '}',
    '',
    "navigate(globalThis.location?.hash?.slice(1) ?? '');",
  ];
  extra.push({ file: 'src/main.js', source: `${main.join('\n')}\n` });
  return { modules, extra };
}

/**
 * Generates the app under `root` unless the same shape was generated there already. Deterministic:
 * the same shape and seed always give the same files.
 */
export async function generateApp(root: string, shape: AppShape): Promise<GeneratedApp> {
  const stamp = JSON.stringify({ GENERATOR_VERSION, shape });
  const stampFile = path.join(root, '.shape.json');
  const summaryOf = async (): Promise<GeneratedApp> =>
    JSON.parse(await readFile(path.join(root, '.summary.json'), 'utf8'));
  if ((await readFile(stampFile, 'utf8').catch(() => '')) === stamp) return summaryOf();

  await rm(root, { recursive: true, force: true });
  const random = createRandom(shape.seed);
  const { modules, extra } = plan(shape, random);
  const files = new Map<string, string>();
  for (const m of modules) {
    files.set(
      m.file,
      moduleSource(random, {
        noun: m.noun,
        exportName: m.exportName,
        imports: m.imports,
        targetBytes: targetBytes(random, shape.meanModuleBytes),
        style: m.style,
      }),
    );
  }
  for (const { file, source } of extra) files.set(file, source);
  files.set(
    'package.json',
    `${JSON.stringify({ name: 'bench-app', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`,
  );
  files.set(
    'index.html',
    '<!doctype html>\n<html lang="en">\n  <head><meta charset="UTF-8" /><title>bench app</title></head>\n  <body>\n    <div id="app"></div>\n    <script type="module" src="/src/main.js"></script>\n  </body>\n</html>\n',
  );

  let sourceBytes = 0;
  const dirs = new Set([...files.keys()].map((file) => path.dirname(path.join(root, file))));
  for (const dir of dirs) await mkdir(dir, { recursive: true });
  for (const [file, source] of files) {
    sourceBytes += Buffer.byteLength(source);
    await writeFile(path.join(root, file), source);
  }
  const summary: GeneratedApp = {
    root,
    entry: 'src/main.js',
    modules: modules.length,
    chunks: 1 + shape.routes + shape.sharedGroups,
    sourceBytes,
  };
  await writeFile(path.join(root, '.summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  await writeFile(stampFile, stamp);
  return summary;
}
