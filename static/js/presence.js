// Keeps the "who else has this story open" notice of the admin's story page current. Not required:
// without JavaScript the notice is shown when the page loads and other editors' entries expire by themselves.
(function () {
  "use strict";
  var box = document.getElementById("presence-notice");
  if (!box) return;
  var url = box.getAttribute("data-url");
  var token = (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
  function render(others) {
    box.textContent = "";
    others.forEach(function (other) {
      var p = document.createElement("p");
      p.className = "warning";
      p.textContent = other.message;
      box.appendChild(p);
    });
  }
  function beat() {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", token);
    fetch(url, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { others: [] }; })
      .then(function (data) { render(data.others || []); })
      .catch(function () {});
  }
  setInterval(beat, (parseInt(box.getAttribute("data-heartbeat"), 10) || 30) * 1000);
  window.addEventListener("pagehide", function () {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", token);
    body.append("leave", "1");
    if (navigator.sendBeacon) navigator.sendBeacon(url, body);
  });
})();
