// The source of one module of the synthetic app: a doc comment, imports, constant tables, a few
// helpers, sometimes a class, and a default export that uses all of them and every import, so
// tree-shaking keeps the whole module (as it keeps a real app's code).
import type { Random } from './random';
import { type BodyContext, createFresh, statements } from './statements';
import { ADJECTIVES, camel, kebab, PROPS, pascalCase, sentence, VERBS } from './words';

export interface ModuleImport {
  /** The local name of the default import. */
  name: string;
  /** Import specifier, e.g. `./m3.js` or `@bench/lib-02`. */
  from: string;
  /** When the default export is an object of functions: the members the module may call. */
  members?: readonly string[];
}

export interface ModuleSpec {
  noun: string;
  /** The default export's name. */
  exportName: string;
  imports: readonly ModuleImport[];
  /** Approximate source size; helpers are added until it is reached. */
  targetBytes: number;
  /** Library modules are plain utilities; app modules also build view models with UI copy. */
  style: 'app' | 'library';
}

function call(random: Random, dependency: ModuleImport, argument: string): string {
  const member = dependency.members?.length ? `.${random.pick(dependency.members)}` : '';
  return `${dependency.name}${member}(${argument}, { ...options, ${random.pick(PROPS)}: ${random.int(0, 99)} })`;
}

function helper(random: Random, noun: string, name: string, dependencies: readonly ModuleImport[]): string {
  const context: BodyContext = { random, noun, fresh: createFresh() };
  const calls = dependencies.map(
    (dependency) =>
      `  acc = { ...acc, ${camel(dependency.name, 'result')}: ${call(random, dependency, 'list')} };\n`,
  );
  return `/**
 * ${pascalCase(name.replace(/([A-Z])/g, ' $1').toLowerCase())}: ${sentence(random, noun)}
 * @param {Array<object>} input
 * @param {object} [options]
 */
function ${name}(input, options = {}) {
  const list = Array.isArray(input) ? input : Array.isArray(input?.items) ? input.items : [];
  let acc = options.initial ?? null;

${statements(context, random.int(2, 5))}${calls.join('')}  return acc;
}
`;
}

function classSource(
  random: Random,
  noun: string,
  helperNames: readonly string[],
): { name: string; source: string } {
  const name = pascalCase(
    random.pick(ADJECTIVES),
    noun,
    random.pick(['Controller', 'Store', 'Model', 'Service']),
  );
  const context: BodyContext = { random, noun, fresh: createFresh() };
  const methods = random.sample(VERBS, random.int(2, 4)).map(
    (verb) => `  ${camel(verb)}(options = {}) {
    const list = this.items;
    let acc = this.state;

${statements(context, random.int(1, 3))}    this.state = ${random.pick(helperNames)}(list, { ...options, initial: acc });
    this.listeners.forEach((listener) => listener(this.state));
    return this.state;
  }
`,
  );
  return {
    name,
    source: `export class ${name} {
  constructor(items = [], options = {}) {
    this.items = items;
    this.options = { pageSize: ${random.int(10, 100)}, sortBy: '${random.pick(PROPS)}', ...options };
    this.state = null;
    this.listeners = new Set();
  }

  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

${methods.join('\n')}}
`,
  };
}

/** The JavaScript source of one module. */
export function moduleSource(random: Random, spec: ModuleSpec): string {
  const { noun } = spec;
  const parts: string[] = [];
  parts.push(`/**
 * ${pascalCase(noun)} ${spec.style === 'library' ? 'utilities' : random.pick(['view', 'panel', 'list', 'form', 'settings'])}.
 * ${sentence(random, noun)}
 */
`);
  for (const dependency of spec.imports) parts.push(`import ${dependency.name} from '${dependency.from}';\n`);
  const labels = Array.from({ length: random.int(3, 8) }, () => random.pick(PROPS));
  parts.push(`
const LABELS = {
${[...new Set(labels)].map((label) => `  ${label}: '${sentence(random, noun)}',`).join('\n')}
};

const DEFAULTS = { pageSize: ${random.int(10, 100)}, sortBy: '${random.pick(PROPS)}', view: '${kebab(random.pick(ADJECTIVES), noun)}' };

`);
  let size = parts.join('').length;
  const helpers: string[] = [];
  const pending = [...spec.imports];
  // Each dependency is called by exactly one helper; helpers are added until the size is reached.
  while (helpers.length < 1 || size < spec.targetBytes || pending.length > 0) {
    const name = camel(random.pick(VERBS), random.pick(ADJECTIVES), noun);
    const deps = pending.splice(0, random.int(1, 2));
    const source = helper(random, noun, `${name}${helpers.length}`, deps);
    helpers.push(`${name}${helpers.length}`);
    parts.push(source, '\n');
    size += source.length + 1;
  }
  const klass = spec.style === 'app' && random.chance(0.4) ? classSource(random, noun, helpers) : undefined;
  if (klass) parts.push(klass.source, '\n');
  const steps = helpers
    .map((name) => `  state = ${name}(state?.items ?? input, { ...options, initial: state });\n`)
    .join('');
  parts.push(`export default function ${spec.exportName}(input, options = {}) {
  const settings = { ...DEFAULTS, ...options, labels: LABELS };
  let state = { items: Array.isArray(input) ? input : [] };
${steps}${klass ? `  const model = new ${klass.name}(state?.items ?? [], settings);\n  model.subscribe((next) => (state = { ...state, next }));\n` : ''}  return { ...state, settings, ${spec.style === 'app' ? `view: '${kebab(noun, 'view')}'` : `kind: '${kebab(noun)}'`} };
}
`);
  return parts.join('');
}
