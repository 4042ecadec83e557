// Searchable pickers (gongzhi/core/pickers.py): a <select data-gz-picker="URL?params"> becomes a Tom Select
// that asks URL&q=TEXT as the user types and shows each row's label with its detail (masked phone tail,
// home, birth year…), so two people of the same name can be told apart.
(function () {
  function escape(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }
  function picker(el) {
    if (el.tomselect || typeof TomSelect === "undefined") return;
    var url = el.getAttribute("data-gz-picker");
    var join = url.indexOf("?") >= 0 ? "&" : "?";
    new TomSelect(el, {
      valueField: "id",
      labelField: "label",
      searchField: [],
      maxOptions: 20,
      loadThrottle: 250,
      placeholder: el.getAttribute("data-gz-picker-empty") || "",
      shouldLoad: function (query) { return query.length > 0; },
      load: function (query, callback) {
        fetch(url + join + "q=" + encodeURIComponent(query), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (json) { callback(json.results); })
          .catch(function () { callback(); });
      },
      render: {
        option: function (row) {
          var detail = row.detail ? '<div class="small text-muted">' + escape(row.detail) + "</div>" : "";
          return "<div>" + escape(row.label) + detail + "</div>";
        },
        item: function (row) { return "<div>" + escape(row.label) + "</div>"; }
      }
    });
  }
  function all(root) {
    var els = root.querySelectorAll ? root.querySelectorAll("select[data-gz-picker]") : [];
    Array.prototype.forEach.call(els, picker);
  }
  document.addEventListener("DOMContentLoaded", function () { all(document); });
  document.addEventListener("htmx:load", function (event) { all(event.target); });
})();
