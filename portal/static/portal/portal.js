// The portal's only script (no inline script: CSP). htmx reports an upload's progress;
// the form's <progress> shows it. Without JavaScript the form posts as usual.
document.addEventListener("htmx:xhr:progress", function (event) {
  var form = event.target.closest ? event.target.closest("form") : null;
  var bar = form ? form.querySelector("progress") : null;
  if (bar && event.detail.lengthComputable && event.detail.total > 0) {
    bar.hidden = false;
    bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
  }
});
