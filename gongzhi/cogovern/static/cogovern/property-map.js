// The property-management map: compound outlines coloured by a layer (management type, owners' committee
// status, red property), switchable; a click opens the compound's 1+3+N card. No tiles from outside: a
// plain background, or the local tile directory the site configures (GONGZHI_MAP_TILES).
(function () {
  var el = document.getElementById("gz-pm-map");
  var configEl = document.getElementById("gz-pm-config");
  document.querySelectorAll("[data-gz-colour]").forEach(function (sw) {
    sw.style.backgroundColor = sw.getAttribute("data-gz-colour");
  });
  if (!el || !configEl || !window.L) return;
  var config = JSON.parse(configEl.textContent);
  var layer = "management";
  var map = L.map(el, { attributionControl: false, zoomSnap: 0.25 });
  if (config.tiles) L.tileLayer(config.tiles, { maxZoom: 19 }).addTo(map);
  var group = null;

  function style(feature) {
    var colour = (config.colours[layer] || {})[feature.properties[layer]] || "#bdbdbd";
    return { color: "#37474f", weight: 1, fillColor: colour, fillOpacity: 0.75 };
  }

  function select(code) {
    layer = code;
    document.querySelectorAll("[data-gz-layer]").forEach(function (b) {
      var on = b.getAttribute("data-gz-layer") === code;
      b.classList.toggle("active", on);
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
    document.querySelectorAll("[data-gz-legend]").forEach(function (box) {
      box.classList.toggle("d-none", box.getAttribute("data-gz-legend") !== code);
    });
    if (group) group.setStyle(style);
    el.setAttribute("data-gz-layer-shown", code);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-gz-layer]");
    if (button) select(button.getAttribute("data-gz-layer"));
  });

  fetch(config.data, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var labelled = data.features.length <= 40; // names on the map while they fit; on hover beyond that
      group = L.geoJSON(data, {
        style: style,
        onEachFeature: function (feature, shape) {
          // A text node, never markup: a compound's name is data (issue 15).
          var label = document.createElement("span");
          label.textContent = feature.properties.name;
          shape.bindTooltip(label, labelled ? { permanent: true, direction: "center", className: "gz-map-label" } : { sticky: true });
          shape.on("click", function () { window.location.href = feature.properties.url; });
          if (shape.getElement) shape.on("add", function () {
            var path = shape.getElement();
            if (path) path.setAttribute("data-gz-compound", feature.properties.code);
          });
        },
      }).addTo(map);
      if (group.getLayers().length) map.fitBounds(group.getBounds(), { padding: [20, 20] });
      else map.setView([36.07, 120.38], 13);
      el.setAttribute("data-gz-features", String(data.features.length));
      select(layer);
    });
})();
