// Builds elements from data without ever parsing data as HTML: text goes in as text nodes.

/** h('a', {href: '#/x', class: 'y', onclick: fn}, 'text', child...) */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/** Appends children, skipping null, undefined and false (Element.append would write "null"). */
export function add(el, ...children) {
  append(el, children);
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/** A labelled form field: the label's for= ties it to the control's id. */
export function field(label, control, hint) {
  const hintEl = hint ? h('span', { class: 'hint', id: `${control.id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintEl);
}

/** A select with a first "any" option and the given {value: label} options. */
export function select(id, anyLabel, options, current) {
  const el = h('select', { id, name: id }, h('option', { value: '' }, anyLabel));
  for (const [value, label] of Object.entries(options)) {
    el.append(h('option', { value, selected: value === current }, label));
  }
  return el;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** An RFC 3339 timestamp in the reader's local time, the exact value in datetime=. */
export function when(iso, none = '—') {
  if (!iso) return none;
  return h('time', { datetime: iso, title: iso }, timeFormat.format(new Date(iso)));
}

/** Re-renders a region without losing the keyboard focus of an element marked data-key. */
export function keepFocus(region, render) {
  const active = document.activeElement;
  const key = region.contains(active) ? active.getAttribute('data-key') : null;
  render();
  if (key) region.querySelector(`[data-key="${CSS.escape(key)}"]`)?.focus();
}

/** A definition list of [term, value] pairs; values may be nodes or text. */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}
