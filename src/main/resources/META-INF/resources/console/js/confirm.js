// The "Yes"/"No" step before every action: a modal <dialog>, which keeps focus inside itself and
// closes on Escape (as "No").
import { field, h } from './dom.js';

let dialogs = 0;

/**
 * Asks a question; resolves with the values of the optional fields on "Yes", null on "No".
 * fields: [{name, label, hint, max, multiline, required}] ("Yes" waits until the required ones are filled)
 */
export function confirm({ title, question, note, fields = [] }) {
  return new Promise((resolve) => {
    const n = ++dialogs;
    const opener = document.activeElement;
    const inputs = fields.map((f) => h(f.multiline ? 'textarea' : 'input',
      { id: `dialog-${n}-${f.name}`, name: f.name, maxlength: f.max, rows: f.multiline ? 3 : null, autocomplete: 'off', required: f.required }));
    const no = h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close('no') }, 'No');
    const form = h('form', { onsubmit: (e) => { e.preventDefault(); dialog.close('yes'); } },
      h('h2', { id: `dialog-${n}-title` }, title),
      h('p', { id: `dialog-${n}-question` }, question),
      note ? h('p', { class: 'hint' }, note) : null,
      fields.map((f, i) => field(f.label, inputs[i], f.hint)),
      h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Yes'), no));
    const dialog = h('dialog', { 'aria-labelledby': `dialog-${n}-title`, 'aria-describedby': `dialog-${n}-question` }, form);
    dialog.addEventListener('close', () => {
      const values = Object.fromEntries(fields.map((f, i) => [f.name, inputs[i].value.trim()]));
      dialog.remove();
      if (opener instanceof HTMLElement) opener.focus();
      resolve(dialog.returnValue === 'yes' ? values : null);
    });
    document.body.append(dialog);
    dialog.showModal();
    // The first field if there is one, else the harmless answer.
    (inputs[0] ?? no).focus();
  });
}
