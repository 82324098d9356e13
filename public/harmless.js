// Inline scripts and styles are refused by the relay's Content-Security-Policy, so they live here.
// The page speaks the language the phone was set to (Spanish words when it was Spanish), like any ordinary tool would.
const es = {
  title: 'Conversor de unidades', v: 'Valor', u: 'Conversión',
  options: ['kilogramos → libras', 'kilómetros → millas', 'litros → galones (EE. UU.)', 'centímetros → pulgadas'],
};
let lang = 'en';
try { lang = (localStorage.getItem('lang') || navigator.language || 'en').slice(0, 2); } catch { /* storage may be gone after a wipe */ }
if (lang === 'es') {
  document.documentElement.lang = 'es';
  document.title = es.title;
  document.querySelector('h1').textContent = es.title;
  document.querySelector('label[for=v]').textContent = es.v;
  document.querySelector('label[for=u]').textContent = es.u;
  document.querySelectorAll('#u option').forEach((opt, k) => { opt.textContent = es.options[k]; });
}
const v = document.getElementById('v'), u = document.getElementById('u'), o = document.getElementById('o');
const numbers = new Intl.NumberFormat(lang === 'es' ? 'es' : 'en', { maximumFractionDigits: 3 });
const show = () => { o.textContent = numbers.format(Number(v.value) * Number(u.value)); };
v.oninput = u.onchange = show; show();
// Arriving here by a quick exit: a new entry drops any forward entries that would lead back.
history.pushState(null, '', location.href);
