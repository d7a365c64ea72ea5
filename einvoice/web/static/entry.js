// Weberfassung: live totals while typing (a preview; the server computes the invoice's own
// totals). The form works without this script.
(function () {
  var form = document.querySelector("form.entry");
  var out = document.getElementById("summen-live");
  if (!form || !out) { return; }
  function number(text) {
    var t = (text || "").trim().replace(/\s/g, "");
    if (!t) { return 0; }
    if (t.indexOf(",") >= 0) { t = t.replace(/\./g, "").replace(",", "."); }
    // "1.500" is 1500 to a German, 1.5 to a program: refused by the server, so not guessed
    else if (/^[+-]?[1-9][0-9]{0,2}(\.[0-9]{3})+$/.test(t)) { return NaN; }
    var n = Number(t);
    return isFinite(n) ? n : NaN;
  }
  function cents(n) { return Math.round(n * 100); }
  function money(c) {
    return (c / 100).toLocaleString("de-DE", { style: "currency", currency: "EUR" });
  }
  function value(name) {
    var el = form.elements.namedItem(name);
    return el && "value" in el ? el.value : "";
  }
  function rate(choice) {
    var parts = (choice || "").split(":");
    return parts.length === 2 ? Number(parts[1]) : 0;
  }
  function update() {
    var net = 0, byRate = {}, bad = false;
    function add(c, choice) {
      var r = String(rate(choice));
      byRate[r] = (byRate[r] || 0) + c;
    }
    // every row the page has (the server's limit decides how many; no second one here)
    for (var i = 1; ; i++) {
      if (!form.elements.namedItem("zeile-" + i + "-menge")) { break; }
      var q = number(value("zeile-" + i + "-menge"));
      var p = number(value("zeile-" + i + "-preis"));
      var a = number(value("zeile-" + i + "-nachlass"));
      if (isNaN(q) || isNaN(p) || isNaN(a)) { bad = true; continue; }
      var line = cents(q * p) - cents(a);
      net += line;
      add(line, value("zeile-" + i + "-ust"));
    }
    ["abzug", "zuschlag"].forEach(function (kind) {
      for (var j = 1; ; j++) {
        if (!form.elements.namedItem(kind + "-" + j + "-betrag")) { break; }
        var b = number(value(kind + "-" + j + "-betrag"));
        if (isNaN(b)) { bad = true; continue; }
        var c = kind === "abzug" ? -cents(b) : cents(b);
        net += c;
        add(c, value(kind + "-" + j + "-ust"));
      }
    });
    if (bad) {
      out.textContent = "Vorläufige Summen: bitte Zahlen wie 1.234,56 eingeben.";
      return;
    }
    var vat = 0;
    Object.keys(byRate).forEach(function (r) { vat += Math.round(byRate[r] * Number(r) / 100); });
    out.textContent = "Vorläufig beim Tippen: netto " + money(net) + ", Umsatzsteuer " +
      money(vat) + ", zusammen " + money(net + vat) + ".";
  }
  var timer = null;
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 400);
  });
  form.addEventListener("change", update);
  // a draft shown again (after "Zeile hinzufügen", an attachment, for a correction): its
  // sums at once, not only after the next key
  if (form.querySelector("input[name$='-preis']:not([value=''])")) { update(); }
})();
