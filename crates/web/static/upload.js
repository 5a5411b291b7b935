// Document uploads: drag-and-drop onto the drop zone and a progress bar.
// Progressive enhancement: every form[data-upload] is a plain multipart
// form that works without this script. With it, files dropped on the zone
// go into the file input, and the form is sent with XMLHttpRequest so the
// upload's progress can be shown; the server answers JSON (a redirect, or
// messages to show).
(function () {
  'use strict';

  function humanSize(n) {
    if (n >= 1048576) return (n / 1048576).toFixed(1) + ' MB';
    if (n >= 1024) return Math.round(n / 1024) + ' KB';
    return n + ' bytes';
  }

  function listFiles(form, input) {
    var list = form.querySelector('[data-file-list]');
    if (!list) return;
    list.textContent = '';
    Array.prototype.forEach.call(input.files || [], function (f) {
      var li = document.createElement('li');
      li.textContent = f.name + ' (' + humanSize(f.size) + ')';
      list.appendChild(li);
    });
  }

  function showErrors(form, messages) {
    var box = form.querySelector('[data-errors]');
    if (!box) return;
    box.textContent = '';
    messages.forEach(function (m) {
      var p = document.createElement('p');
      p.textContent = m;
      box.appendChild(p);
    });
    box.hidden = messages.length === 0;
  }

  function enhance(form) {
    var input = form.querySelector('input[type="file"]');
    var zone = form.querySelector('[data-dropzone]');
    var progressBox = form.querySelector('[data-progress]');
    var bar = progressBox && progressBox.querySelector('progress');
    var status = form.querySelector('[data-status]');
    var button = form.querySelector('button[type="submit"]');
    if (!input) return;

    input.addEventListener('change', function () { listFiles(form, input); });

    if (zone) {
      ['dragenter', 'dragover'].forEach(function (t) {
        zone.addEventListener(t, function (e) {
          e.preventDefault();
          if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
          zone.classList.add('dragging');
        });
      });
      ['dragleave', 'dragend'].forEach(function (t) {
        zone.addEventListener(t, function () { zone.classList.remove('dragging'); });
      });
      zone.addEventListener('drop', function (e) {
        e.preventDefault();
        zone.classList.remove('dragging');
        if (!e.dataTransfer || !e.dataTransfer.files || e.dataTransfer.files.length === 0) return;
        try {
          input.files = e.dataTransfer.files;
        } catch (err) {
          return;
        }
        listFiles(form, input);
        if (status) status.textContent = input.files.length + (input.files.length === 1 ? ' file' : ' files') + ' ready to upload.';
      });
    }

    if (!window.FormData || !window.XMLHttpRequest) return;
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      showErrors(form, []);
      if (!input.files || input.files.length === 0) {
        showErrors(form, ['Choose a file to upload.']);
        input.focus();
        return;
      }
      var data = new FormData(form);
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.getAttribute('action'));
      xhr.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
      var csrf = form.querySelector('input[name="csrf"]');
      if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf.value);
      xhr.responseType = 'json';
      if (progressBox) progressBox.hidden = false;
      if (bar) { bar.value = 0; bar.textContent = '0 %'; }
      if (button) button.disabled = true;
      if (status) status.textContent = 'Uploading…';
      xhr.upload.addEventListener('progress', function (ev) {
        if (!ev.lengthComputable || !bar) return;
        var pct = Math.round((ev.loaded / ev.total) * 100);
        bar.value = pct;
        bar.textContent = pct + ' %';
        if (status) status.textContent = 'Uploading… ' + pct + ' %';
      });
      xhr.addEventListener('load', function () {
        var body = xhr.response || {};
        if (xhr.status >= 200 && xhr.status < 300 && body.redirect) {
          if (bar) bar.value = 100;
          if (status) status.textContent = 'Upload complete.';
          window.location.assign(body.redirect);
          return;
        }
        if (button) button.disabled = false;
        if (progressBox) progressBox.hidden = true;
        if (status) status.textContent = '';
        var msgs = (body.errors || []).map(function (x) { return x.message; });
        if (msgs.length === 0) {
          msgs = [xhr.status === 403
            ? 'This form has expired or the upload is not allowed. Reload the page and try again.'
            : 'The upload failed (error ' + xhr.status + '). Nothing was saved. Try again.'];
        }
        showErrors(form, msgs);
      });
      xhr.addEventListener('error', function () {
        if (button) button.disabled = false;
        if (progressBox) progressBox.hidden = true;
        if (status) status.textContent = '';
        showErrors(form, ['The connection was lost during the upload. Nothing was saved. Try again.']);
      });
      xhr.send(data);
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll('form[data-upload]'), enhance);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
