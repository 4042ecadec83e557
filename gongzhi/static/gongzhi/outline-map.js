// Draws the compound outline on a plain background: no tile server, so it works on an intranet.
(function () {
  var el = document.getElementById("gz-map");
  var data = document.getElementById("gz-outline");
  if (!el || !data || !window.L) return;
  var map = L.map(el, { attributionControl: false, zoomSnap: 0.25 });
  var layer = L.geoJSON(JSON.parse(data.textContent), {
    style: { color: "#b71c1c", weight: 2, fillColor: "#e57373", fillOpacity: 0.35 }
  }).addTo(map);
  map.fitBounds(layer.getBounds(), { padding: [20, 20] });
})();
