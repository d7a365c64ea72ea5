// Drag and drop onto the upload field; the form works without it too.
(function () {
  var zone = document.getElementById("dropzone");
  var input = document.getElementById("file");
  var chosen = document.getElementById("chosen");
  if (!zone || !input) { return; }
  function show() {
    var names = [];
    for (var i = 0; i < input.files.length; i++) { names.push(input.files[i].name); }
    chosen.textContent = names.length > 1
      ? names.length + " Dateien: " + names.join(", ")
      : (names[0] || "");
  }
  input.addEventListener("change", show);
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) {
    if (e.dataTransfer && e.dataTransfer.files.length) {
      input.files = e.dataTransfer.files;
      show();
    }
  });
})();
