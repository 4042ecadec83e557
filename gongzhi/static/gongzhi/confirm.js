// Ask before a form does something that cannot be undone: <form data-confirm="…">. A static file, so it
// works under a Content-Security-Policy without inline scripts.
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
