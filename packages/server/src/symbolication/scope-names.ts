import { type Node, parse } from 'acorn';

/**
 * Function scopes of a minified source and their names, as Sentry's js-source-scopes (which cymbal
 * uses through symbolic) extracts them: every function, arrow function, class and object getter or
 * setter is a scope, named from its own identifier or from where it is bound (`var x = …`,
 * `a.b = …`, `{ key: … }`, class methods `A.m`, `get A.x`, `new A`). Only minified-source identifiers
 * are kept as positions here; `NameResolver` turns them into original names through the source map.
 */

/** Literal text, or an identifier of the minified source at a UTF-16 offset. */
export type NamePart = string | { ident: string; offset: number };

export interface Scope {
  start: number;
  end: number;
  /** null when no name could be inferred (an anonymous callback). */
  name: NamePart[] | null;
}

// ESTree nodes as acorn produces them; only the fields the name inference reads are typed.
type AnyNode = Node & Record<string, unknown>;

const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

function isGetterOrSetterProperty(node: AnyNode | undefined): boolean {
  return node?.type === 'Property' && (node.kind === 'get' || node.kind === 'set');
}

/** `visit_function`'s view: a FunctionExpression that is a getter/setter's body is no function of its own. */
function isFunctionScope(node: AnyNode, parent: AnyNode | undefined): boolean {
  if (node.type === 'ArrowFunctionExpression' || node.type === 'FunctionDeclaration') return true;
  if (node.type !== 'FunctionExpression') return false;
  if (isGetterOrSetterProperty(parent)) return false;
  return !(parent?.type === 'MethodDefinition' && parent.kind === 'constructor');
}

/** Where `infer` stops: a function (a constructor too); a getter/setter body is not one in swc. */
function isStop(node: AnyNode, parent: AnyNode | undefined): boolean {
  if (node.type === 'MethodDefinition' && node.kind === 'constructor') return true;
  if (!FUNCTIONS.has(node.type)) return false;
  return !(node.type === 'FunctionExpression' && isGetterOrSetterProperty(parent));
}

function ident(node: AnyNode): NamePart {
  return { ident: node.name as string, offset: node.start };
}

/** Rust's `{:?}` of a string, close enough: JSON's quoting. */
function debugString(value: string): string {
  return JSON.stringify(value);
}

function literalText(node: AnyNode): string {
  if (typeof node.bigint === 'string') return `${node.bigint}n`;
  const regex = node.regex as { pattern: string; flags: string } | undefined;
  if (regex) return `/${regex.pattern}/${regex.flags}`;
  if (typeof node.value === 'string') return debugString(node.value);
  return String(node.value);
}

/** `prop_name_to_component`: an identifier key, or `<"text">`, `<1>`, `<1n>`, `<computed>`. */
function propName(key: AnyNode, computed: boolean): NamePart {
  if (computed) return '<computed>';
  if (key.type === 'Identifier') return ident(key);
  if (key.type === 'Literal') return `<${literalText(key)}>`;
  return '<computed>';
}

/** `push_computed_prop_name`: `[0]`, `["k"]`, `[ident]`, `[<computed>]`. */
function computedParts(property: AnyNode): NamePart[] {
  if (property.type === 'Literal') return [`[${literalText(property)}]`];
  if (property.type === 'Identifier') return ['[', ident(property), ']'];
  return ['[<computed>]'];
}

/** `infer_name_from_expr`: `a.b.c`, `this.x`, `a[0]`; null for anything else. */
function nameOfExpression(start: AnyNode): NamePart[] | null {
  const parts: NamePart[] = [];
  let expr: AnyNode = start;
  for (;;) {
    if (expr.type === 'Identifier') return [ident(expr), ...parts];
    if (expr.type === 'ThisExpression') return ['this', ...parts];
    if (expr.type !== 'MemberExpression') return null;
    const property = expr.property as AnyNode;
    if (expr.computed) parts.unshift(...computedParts(property));
    else if (property.type === 'Identifier') parts.unshift('.', ident(property));
    expr = expr.object as AnyNode;
  }
}

/** `infer_name_from_ctx`: walks up the ancestors (nearest last) until a binding names the scope. */
function inferName(path: readonly AnyNode[]): NamePart[] {
  const parts: NamePart[] = [];
  let kind: unknown = 'method';
  let inObjectLiteral = false;
  const pushSep = () => {
    if (parts.length > 0) parts.unshift('.');
  };
  const finish = (objectPrefix: boolean) => {
    if (objectPrefix && inObjectLiteral && parts.length > 0) parts.unshift('<object>.');
    if (kind === 'get') parts.unshift('get ');
    if (kind === 'set') parts.unshift('set ');
    return parts;
  };
  for (let i = path.length - 1; i >= 0; i--) {
    const node = path[i]!;
    const parent = path[i - 1];
    if (isStop(node, parent)) return finish(true);
    switch (node.type) {
      case 'ClassExpression':
        if (node.id) {
          pushSep();
          parts.unshift(ident(node.id as AnyNode));
        }
        break;
      case 'ClassDeclaration':
        if (node.id) {
          pushSep();
          parts.unshift(ident(node.id as AnyNode));
          return finish(false);
        }
        break;
      case 'Property':
        if (node.method) {
          pushSep();
          parts.unshift(propName(node.key as AnyNode, node.computed === true));
        } else if (node.kind === 'init' && !node.shorthand && !node.computed) {
          const key = node.key as AnyNode;
          if (key.type === 'Identifier') {
            pushSep();
            parts.unshift(ident(key));
          }
        }
        break;
      case 'MethodDefinition': {
        const key = node.key as AnyNode;
        if (key.type === 'PrivateIdentifier') parts.unshift('#', ident(key));
        else {
          parts.unshift(propName(key, node.computed === true));
          kind = node.kind;
        }
        break;
      }
      case 'VariableDeclarator': {
        const id = node.id as AnyNode;
        if (id.type === 'Identifier') {
          pushSep();
          parts.unshift(ident(id));
          return finish(false);
        }
        break;
      }
      case 'AssignmentExpression': {
        const left = node.left as AnyNode;
        if (left.type === 'Identifier') {
          pushSep();
          parts.unshift(ident(left));
          return finish(false);
        }
        if (left.type === 'MemberExpression') {
          const owner = nameOfExpression(left.object as AnyNode);
          if (owner) {
            const property = left.property as AnyNode;
            if (!left.computed && property.type === 'Identifier') {
              parts.unshift(ident(property));
              pushSep();
            }
            if (left.computed) parts.unshift(...computedParts(property));
            parts.unshift(...owner);
            return finish(false);
          }
        }
        break;
      }
      case 'ObjectExpression':
        inObjectLiteral = true;
        break;
    }
  }
  return finish(true);
}

/** `name_from_ident_or_ctx`: the inferred name with its last part replaced by the scope's own identifier. */
function nameFromIdentOrContext(id: AnyNode | null | undefined, path: readonly AnyNode[]): NamePart[] {
  const parts = inferName(path);
  if (id) {
    parts.pop();
    parts.push(ident(id));
  }
  return parts;
}

function scopeOf(node: AnyNode, path: readonly AnyNode[]): Scope | undefined {
  const parent = path[path.length - 1];
  let name: NamePart[];
  if (FUNCTIONS.has(node.type)) {
    if (!isFunctionScope(node, parent)) return undefined;
    const own = node.type === 'ArrowFunctionExpression' ? undefined : (node.id as AnyNode | null);
    name = node.type === 'ArrowFunctionExpression' ? inferName(path) : nameFromIdentOrContext(own, path);
  } else if (node.type === 'ClassDeclaration' || node.type === 'ClassExpression') {
    name = nameFromIdentOrContext(node.id as AnyNode | null, path);
    if (name.length > 0) name.unshift('new ');
  } else if (isGetterOrSetterProperty(node)) {
    name = inferName(path);
    if (name.length > 0) name.push('.');
    name.push(propName(node.key as AnyNode, node.computed === true));
    name.unshift(node.kind === 'get' ? 'get ' : 'set ');
  } else {
    return undefined;
  }
  return { start: node.start, end: node.end, name: name.length > 0 ? name : null };
}

function isNode(value: unknown): value is AnyNode {
  return (
    typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
  );
}

/**
 * Every function-like scope of `source`, or [] when it does not parse as an ES module (as the Rust
 * crate, which parses with swc's module parser, gives up then too).
 */
export function extractScopes(source: string): Scope[] {
  let program: AnyNode;
  try {
    program = parse(source, { ecmaVersion: 'latest', sourceType: 'module' }) as unknown as AnyNode;
  } catch {
    return [];
  }
  const scopes: Scope[] = [];
  const path: AnyNode[] = [];
  // Iterative depth-first walk: minified code nests deeply enough to matter for the call stack.
  const stack: (AnyNode | 'leave')[] = [program];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (item === 'leave') {
      path.pop();
      continue;
    }
    const scope = scopeOf(item, path);
    if (scope) scopes.push(scope);
    path.push(item);
    stack.push('leave');
    const children: AnyNode[] = [];
    for (const [key, value] of Object.entries(item)) {
      if (key === 'type' || key === 'start' || key === 'end') continue;
      if (Array.isArray(value)) {
        for (const child of value) if (isNode(child)) children.push(child);
      } else if (isNode(value)) children.push(value);
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return scopes;
}
