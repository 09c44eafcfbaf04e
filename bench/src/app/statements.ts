// Statement templates for the synthetic app's function bodies. Each works on the function's `list`
// (an array of records) and `options`, declares only fresh names, and leaves a value in `acc`, so
// any sequence of them is valid JavaScript and nothing in it is dead code.
import type { Random } from './random';
import { ADJECTIVES, camel, kebab, NOUNS, PROPS, pascalCase, STATUSES, sentence } from './words';

export interface BodyContext {
  random: Random;
  noun: string;
  /** Makes names unique inside one function. */
  fresh(base: string): string;
}

type Template = (context: BodyContext) => string;

const literal = (random: Random) =>
  random.pick([
    () => String(random.int(0, 500)),
    () => `'${random.pick(STATUSES)}'`,
    () => (random.chance(0.5) ? 'true' : 'false'),
    () => 'null',
  ])();

const templates: Template[] = [
  ({ random, noun, fresh }) => {
    const name = fresh(camel(random.pick(ADJECTIVES), noun, 'items'));
    const prop = random.pick(PROPS);
    const other = random.pick(PROPS);
    return `const ${name} = list
    .filter((item) => item && item.${prop} !== ${literal(random)})
    .map((item, index) => ({ ...item, ${other}: item.${other} ?? index * ${random.int(2, 40)}, rank: index + 1 }));
  acc = ${name}.length > ${random.int(0, 20)} ? ${name} : acc;`;
  },
  ({ random, fresh }) => {
    const total = fresh('total');
    const prop = random.pick(PROPS);
    return `let ${total} = 0;
  for (let i = 0; i < list.length; i += 1) {
    const entry = list[i];
    if (typeof entry.${prop} === 'number' && entry.${prop} > ${random.int(0, 100)}) {
      ${total} += entry.${prop};
    } else if (entry.${random.pick(PROPS)}) {
      ${total} -= ${random.int(1, 9)};
    }
  }
  acc = { ...acc, ${prop}: ${total} };`;
  },
  ({ random, noun }) => {
    const [a, b, c] = random.sample(STATUSES, 3);
    return `switch (options.status ?? acc?.status) {
    case '${a}':
      acc = { ...acc, tone: 'success', message: '${sentence(random, noun)}' };
      break;
    case '${b}':
      acc = { ...acc, tone: 'warning', message: '${sentence(random, noun)}' };
      break;
    case '${c}':
      acc = { ...acc, tone: 'danger', retryable: ${random.chance(0.5)} };
      break;
    default:
      acc = { ...acc, tone: 'muted' };
  }`;
  },
  ({ random, noun, fresh }) => {
    const title = fresh('title');
    return `const ${title} = \`\${list.length} ${random.pick(ADJECTIVES)} ${noun}\${list.length === 1 ? '' : 's'} in \${options.${random.pick(['teamName', 'projectName', 'scope', 'label'])} ?? 'this project'}\`;
  acc = { ...acc, title: ${title}, subtitle: '${sentence(random, noun)}' };`;
  },
  ({ random, noun, fresh }) => {
    const parsed = fresh('parsed');
    return `let ${parsed};
  try {
    ${parsed} = JSON.parse(options.${camel('raw', noun)} ?? '{}');
  } catch (error) {
    console.warn('Could not parse the ${noun} ${random.pick(PROPS)}', error);
    ${parsed} = { fallback: true, reason: String(error && error.message) };
  }
  acc = { ...acc, ...${parsed} };`;
  },
  ({ random, fresh }) => {
    const formatter = fresh('formatter');
    return `const ${formatter} = new Intl.NumberFormat(options.locale ?? 'en-US', { style: '${random.pick(['currency', 'decimal', 'percent'])}', currency: '${random.pick(['USD', 'EUR', 'GBP'])}', maximumFractionDigits: ${random.int(0, 3)} });
  acc = { ...acc, formatted: ${formatter}.format(Number(acc?.${random.pick(PROPS)} ?? list.length)) };`;
  },
  ({ random, noun, fresh }) => {
    const groups = fresh('groups');
    const key = random.pick(PROPS);
    return `const ${groups} = new Map();
  for (const item of list) {
    const key = item.${key} ?? '${kebab(random.pick(ADJECTIVES), noun)}';
    const bucket = ${groups}.get(key) ?? [];
    bucket.push(item);
    ${groups}.set(key, bucket);
  }
  acc = { ...acc, groups: [...${groups}.entries()].sort((x, y) => y[1].length - x[1].length).slice(0, ${random.int(3, 25)}) };`;
  },
  ({ random, noun }) => {
    const prop = random.pick(PROPS);
    return `if (!list.length && options.${camel('require', noun)}) {
    throw new Error(\`Expected at least one ${noun} with a ${prop}, got \${JSON.stringify(options).slice(0, ${random.int(40, 120)})}\`);
  }`;
  },
  ({ random, noun, fresh }) => {
    const classes = fresh('classes');
    return `const ${classes} = ['${kebab(noun, 'card')}', options.compact ? '${kebab(noun, 'card--compact')}' : '', acc?.tone ? \`${kebab(noun)}--\${acc.tone}\` : '']
    .filter(Boolean)
    .join(' ');
  acc = { ...acc, className: ${classes}, ariaLabel: '${pascalCase(random.pick(ADJECTIVES))} ${noun}' };`;
  },
  ({ random, fresh }) => {
    const since = fresh('since');
    return `const ${since} = Date.now() - ${random.int(1, 90)} * 24 * 60 * 60 * 1000;
  acc = { ...acc, recent: list.filter((item) => new Date(item.${random.pick(['createdAt', 'updatedAt'])} ?? 0).getTime() > ${since}).length };`;
  },
  ({ random, noun }) => {
    const other = random.pick(NOUNS);
    return `if (options.${camel('include', other)}) {
    acc = { ...acc, ${camel(other, 'ids')}: list.map((item) => item.${camel(other, 'id')}).filter((id) => id != null && id !== '${kebab('unknown', noun)}') };
  }`;
  },
];

/** `count` statements, each followed by a blank line. */
export function statements(context: BodyContext, count: number): string {
  return Array.from({ length: count }, () => `  ${context.random.pick(templates)(context)}\n`).join('\n');
}

export function createFresh(): (base: string) => string {
  const used = new Map<string, number>();
  return (base) => {
    const n = used.get(base) ?? 0;
    used.set(base, n + 1);
    return n === 0 ? base : `${base}${n + 1}`;
  };
}
