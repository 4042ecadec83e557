// Choosing a category fills its default item and scope (data from the json_script #gz-categories).
(function () {
  var data = document.getElementById("gz-categories");
  var cat = document.getElementById("id_category"), item = document.getElementById("id_item"), scope = document.getElementById("id_scope");
  if (!data || !cat) return;
  var cats = JSON.parse(data.textContent);
  cat.addEventListener("change", function () {
    var c = cats.find(function (x) { return String(x.pk) === cat.value; });
    if (!c) return;
    item.value = c.default_item === null ? "" : String(c.default_item);
    scope.value = c.default_scope;
  });
})();
