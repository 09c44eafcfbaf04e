// @ts-check
// Every element of the inbox is built here. Text from events (messages, frames, properties) only
// ever becomes a text node or an attribute value: nothing is parsed as markup (the page's CSP also
// forbids innerHTML through Trusted Types, so a mistake would fail loudly instead of running).

/** @typedef {string | number | boolean | Node | null | undefined | readonly unknown[]} Child */

/**
 * A link target the inbox may use: a path or query on this server, or an http(s) URL. Anything
 * else (`javascript:`, `data:`) becomes a harmless `#`.
 * @param {string} value
 */
export function safeHref(value) {
  if (/^(\/(?![/\\])|\?)/.test(value)) return value;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : '#';
  } catch {
    return '#';
  }
}

/**
 * @param {Element} parent
 * @param {Child[]} children
 */
function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false || child === true) continue;
    if (Array.isArray(child)) append(parent, /** @type {Child[]} */ (child));
    else parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * @param {Element} el
 * @param {Record<string, unknown>} props
 */
function setProps(el, props) {
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'on') {
      for (const [type, listener] of Object.entries(/** @type {Record<string, EventListener>} */ (value))) {
        el.addEventListener(type, listener);
      }
    } else if (name === 'href') {
      el.setAttribute('href', safeHref(String(value)));
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
}

/**
 * An HTML element: `h('a', { href: '/x', class: 'y' }, 'text', child)`.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, unknown>} [props]
 * @param {Child[]} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  setProps(el, props);
  append(el, children);
  return el;
}

/**
 * An SVG element.
 * @param {string} tag
 * @param {Record<string, unknown>} [props]
 * @param {Child[]} children
 */
export function svg(tag, props = {}, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  setProps(el, props);
  append(el, children);
  return el;
}

/**
 * Replaces an element's children.
 * @param {Element} el
 * @param {Child[]} children
 */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
}
