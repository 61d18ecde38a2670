// The portal works without JavaScript; this adds the Copy buttons, applies the Client Type choice at once, opens
// the menu (OCS edition), and keeps the keyboard inside an open window.
document.addEventListener('click', async (event) => {
  const button = event.target instanceof Element ? event.target.closest('button[data-copy]') : null;
  if (!button) return;
  const field = document.getElementById(button.getAttribute('data-copy'));
  if (!field) return;
  const say = (words) => {
    // An icon keeps its picture and says it in its title; a text button says it in its text.
    if (button.classList.contains('icon')) button.title = words;
    else button.textContent = words;
  };
  try {
    await navigator.clipboard.writeText(field.value);
    say('Copied');
  } catch {
    field.select();
    say('Press Ctrl+C');
  }
});

document.addEventListener('change', (event) => {
  const select = event.target;
  if (select instanceof HTMLSelectElement && select.hasAttribute('data-autosubmit')) select.form?.submit();
});

const menuButton = document.querySelector('button[aria-controls="main-menu"]');
menuButton?.addEventListener('click', () => {
  menuButton.setAttribute('aria-expanded', String(menuButton.getAttribute('aria-expanded') !== 'true'));
});

// A window (role dialog) is modal: everything around it is made inert, so Tab and the screen reader stay inside,
// and the focus starts in it. Escape follows its Cancel or Close link.
const openWindow = document.querySelector(
  '[role="dialog"][aria-modal="true"], [role="alertdialog"][aria-modal="true"]',
);
if (openWindow) {
  for (
    let node = openWindow.closest('.window-backdrop') ?? openWindow;
    node && node !== document.body;
    node = node.parentElement
  ) {
    for (const sibling of node.parentElement?.children ?? []) {
      if (sibling !== node && !(sibling instanceof HTMLScriptElement)) sibling.inert = true;
    }
  }
  const focusable = 'input:not([type="hidden"]), button, a[href], select, textarea';
  const first = openWindow.querySelector('[autofocus]') ?? openWindow.querySelector(focusable);
  first?.focus();
  // Tab from the last control comes back to the first, Shift+Tab from the first goes to the last.
  const controls = () => [...openWindow.querySelectorAll(focusable)].filter((element) => !element.disabled);
  openWindow.addEventListener('keydown', (event) => {
    if (event.key === 'Tab') {
      const all = controls();
      const edge = event.shiftKey ? all[0] : all.at(-1);
      if (document.activeElement === edge || !openWindow.contains(document.activeElement)) {
        event.preventDefault();
        (event.shiftKey ? all.at(-1) : all[0])?.focus();
      }
      return;
    }
    if (event.key !== 'Escape') return;
    const away = [...openWindow.querySelectorAll('a.button')].find((link) =>
      /^(Cancel|Close)$/.test(link.textContent.trim()),
    );
    away?.click();
  });
}
