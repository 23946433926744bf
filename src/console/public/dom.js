/**
 * Tiny DOM helpers. Text always goes in through `textContent`, so data from the API can never
 * become markup; the only HTML the console assigns comes from the escaping Markdown renderer.
 */

/** Creates an element with attributes (`className`, `dataset`, event handlers `onX`) and children. */
export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'className') node.className = value;
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function')
      node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Number.POSITIVE_INFINITY)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces all children of `node`. */
export function replaceChildren(node, ...children) {
  node.replaceChildren();
  append(node, children);
}

/** Looks up an element by id and fails loudly when the page and the script disagree. */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`The page has no element #${id}.`);
  return node;
}

/** A short local date-time for lists and transcripts. */
export function formatTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? String(iso)
    : date.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}

/** Shows a message in a status region (role="status" or "alert" decides how it is announced). */
export function announce(region, text) {
  region.textContent = '';
  // A fresh text node after clearing makes screen readers announce repeated messages again.
  window.setTimeout(() => {
    region.textContent = text;
  }, 30);
}
