// Behaviour the templates declare with data- attributes, so that no page needs an inline script or an
// inline event handler (the content security policy allows scripts from this site's static files only).
//   data-gz-controls     on a form: give its inputs and selects Bootstrap's classes (forms rendered bare)
//   data-gz-clear="ID"   on a button: empty the element #ID (closes an htmx-loaded form)
//   data-gz-alert-409    on an htmx element: show a 409 (conflict) answer's text to the user
//   HX-Trigger gzSaved   from an htmx answer: show its text as a success message at the top of the page
(function () {
  function controls(root) {
    var forms = root.querySelectorAll ? root.querySelectorAll("[data-gz-controls]") : [];
    if (root.matches && root.matches("[data-gz-controls]")) forms = [root].concat(Array.prototype.slice.call(forms));
    Array.prototype.forEach.call(forms, function (form) {
      form.querySelectorAll("select, input:not([type=hidden]):not([type=checkbox]), textarea").forEach(function (el) {
        el.classList.add(el.tagName === "SELECT" ? "form-select" : "form-control");
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { controls(document); });
  document.addEventListener("htmx:load", function (event) { controls(event.target); });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-gz-clear]");
    if (!button) return;
    var target = document.getElementById(button.getAttribute("data-gz-clear"));
    if (target) target.replaceChildren();
  });
  // A saved htmx form: the server's HX-Trigger {"gzSaved": "…"} shows as the site's success message.
  document.body.addEventListener("gzSaved", function (event) {
    var main = document.querySelector("main");
    if (!main || !event.detail || !event.detail.value) return;
    var old = document.getElementById("gz-saved");
    if (old) old.remove();
    var alert = document.createElement("div");
    alert.id = "gz-saved";
    alert.className = "alert alert-success";
    alert.setAttribute("role", "status");
    alert.textContent = event.detail.value;
    main.insertBefore(alert, main.firstChild);
  });
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status === 409 && event.target.closest && event.target.closest("[data-gz-alert-409]")) {
      window.alert(xhr.responseText);
    }
  });
})();
