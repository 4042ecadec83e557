// Draws compound outlines on a plain background: no tile server, so it works on an intranet.
// One compound: #gz-outline holds its GeoJSON. Several: #gz-outlines holds [{name, url, outline}], each a link.
(function () {
  var el = document.getElementById("gz-map");
  if (!el || !window.L) return;
  var style = { color: "#b71c1c", weight: 2, fillColor: "#e57373", fillOpacity: 0.35 };
  var map = L.map(el, { attributionControl: false, zoomSnap: 0.25 });
  var group = L.featureGroup().addTo(map);
  var one = document.getElementById("gz-outline");
  var many = document.getElementById("gz-outlines");
  if (one) L.geoJSON(JSON.parse(one.textContent), { style: style }).addTo(group);
  if (many) {
    var compounds = JSON.parse(many.textContent);
    var labelled = compounds.length <= 12; // names on the map while they still fit; on hover beyond that
    compounds.forEach(function (c) {
      var layer = L.geoJSON(c.outline, { style: style }).addTo(group);
      // Leaflet inserts a string tooltip as HTML: hand it a text node so a name is never markup (issue 15).
      var label = document.createElement("span");
      label.textContent = c.name;
      layer.bindTooltip(label, labelled ? { permanent: true, direction: "center", className: "gz-map-label" } : { sticky: true });
      layer.on("click", function () { window.location.href = c.url; });
    });
  }
  if (group.getLayers().length) map.fitBounds(group.getBounds(), { padding: [20, 20] });
})();
