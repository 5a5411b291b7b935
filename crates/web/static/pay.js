// Payments: the Pay Multiple summary (number of accounts and total), a
// guard against double submission (the server's idempotency key is the real
// guard), and the receipt's print button. Progressive enhancement only:
// every form works without this file.
(function () {
  'use strict';
  function cents(text) {
    var s = String(text || '').replace(/[$,\s]/g, '');
    if (!/^\d+(\.\d{1,2})?$/.test(s)) return null;
    var parts = s.split('.');
    return parseInt(parts[0], 10) * 100 + (parts[1] ? parseInt((parts[1] + '0').slice(0, 2), 10) : 0);
  }
  function money(c) {
    var d = Math.floor(c / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return '$' + d + '.' + ('0' + (c % 100)).slice(-2);
  }
  function summarise(form) {
    var box = form.querySelector('[data-pay-summary]');
    if (!box) return;
    var count = 0, total = 0;
    form.querySelectorAll('[data-pay-check]').forEach(function (cb) {
      if (!cb.checked || cb.disabled) return;
      count += 1;
      var input = form.querySelector('#amount-' + cb.value);
      var c = input ? cents(input.value) : null;
      if (c) total += c;
    });
    box.hidden = false;
    box.querySelector('[data-pay-count]').textContent = String(count);
    box.querySelector('[data-pay-total]').textContent = money(total);
  }
  document.querySelectorAll('[data-pay-form]').forEach(function (form) {
    form.addEventListener('input', function () { summarise(form); });
    form.addEventListener('change', function () { summarise(form); });
    summarise(form);
  });
  document.querySelectorAll('form[data-once]').forEach(function (form) {
    form.addEventListener('submit', function (e) {
      if (form.dataset.sent) { e.preventDefault(); return; }
      form.dataset.sent = '1';
      form.querySelectorAll('button[type=submit]').forEach(function (b) {
        b.setAttribute('aria-disabled', 'true');
        b.classList.add('is-busy');
      });
    });
  });
  document.querySelectorAll('[data-print]').forEach(function (b) {
    b.hidden = false;
    b.addEventListener('click', function () { window.print(); });
  });
})();
