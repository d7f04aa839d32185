// Import in the browser (issue #14): files chosen or dropped are uploaded one by one to the preview,
// which answers with the detected format, database and a record count; "Import" then queues the
// staged files (they are not uploaded again) and puts each job's card, which polls itself through
// htmx, at the top of the jobs list. Without this script the form posts the files to the queue.
(function () {
  "use strict";
  var form = document.getElementById("import-form");
  if (!form) { return; }
  var input = form.querySelector("[data-import-files]");
  var zone = form.querySelector("[data-drop-zone]");
  var previews = document.getElementById("import-previews");
  var jobs = document.getElementById("import-jobs");
  var csrf = form.querySelector("input[name=csrf_token]").value;

  function uploading(file) {
    var card = document.createElement("article");
    card.className = "import-preview import-uploading";
    var title = document.createElement("h3");
    title.textContent = file.name;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", "uploading " + file.name);
    var text = document.createElement("p");
    text.className = "hint";
    text.textContent = "uploading…";
    card.append(title, bar, text);
    previews.append(card);
    return { card: card, bar: bar, text: text };
  }

  function preview(file) {
    var shown = uploading(file);
    var data = new FormData();
    data.append("files", file, file.name);
    data.append("csrf_token", csrf);
    var request = new XMLHttpRequest();
    request.open("POST", form.getAttribute("data-preview-url"));
    request.setRequestHeader("X-CSRF-Token", csrf);
    request.setRequestHeader("HX-Request", "true");
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) {
        shown.bar.value = Math.round(100 * event.loaded / event.total);
        shown.text.textContent = "uploading… " + shown.bar.value + "%";
      }
    });
    request.addEventListener("load", function () {
      var holder = document.createElement("div");
      holder.innerHTML = request.responseText;
      shown.card.replaceWith.apply(shown.card, Array.prototype.slice.call(holder.childNodes));
    });
    request.addEventListener("error", function () {
      shown.text.textContent = "upload failed: check the connection and choose the file again";
      shown.card.classList.add("import-preview-refused");
    });
    request.send(data);
  }

  function choose(files) {
    Array.prototype.forEach.call(files, preview);
    input.value = "";  // staged at the preview: the form must not upload them again
  }

  input.addEventListener("change", function () { choose(input.files); });
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("drop-active"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("drop-active"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) { choose(event.dataTransfer.files); }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!previews.querySelector("input[name=staged]")) {
      previews.insertAdjacentHTML("beforeend", '<p class="error" role="alert">Choose an export file that can be imported first.</p>');
      return;
    }
    var data = new FormData(form);
    data.delete("files");
    fetch(form.action, {
      method: "POST",
      body: data,
      headers: { "X-CSRF-Token": csrf, "HX-Request": "true" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.text().then(function (text) { return { ok: response.ok, text: text }; });
    }).then(function (answer) {
      var holder = document.createElement("div");
      holder.innerHTML = answer.text;
      if (!answer.ok) {
        previews.append.apply(previews, Array.prototype.slice.call(holder.childNodes));
        return;
      }
      previews.textContent = "";
      var empty = document.querySelector("[data-no-jobs]");
      if (empty) { empty.remove(); }
      Array.prototype.slice.call(holder.children).reverse().forEach(function (card) {
        jobs.prepend(card);
        if (window.htmx) { window.htmx.process(card); }
      });
    });
  });
})();
