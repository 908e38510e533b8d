/* The 归档 page: each archive still being built polls GET /api/v1/district/archive/<id> (its
 * data-poll) every two seconds and moves its bar and status line; when one finishes the page is
 * loaded again so that its download link appears. ES5 and XMLHttpRequest, no inline script. */
(function () {
  "use strict";
  if (!window.XMLHttpRequest || !window.JSON) { return; }
  var lines = document.querySelectorAll('.archive-line[data-state="building"]');
  Array.prototype.forEach.call(lines, function (line) {
    var bar = line.querySelector("progress"), text = line.querySelector(".archive-text");
    function poll() {
      var req = new XMLHttpRequest();
      req.open("GET", line.getAttribute("data-poll"));
      req.setRequestHeader("Accept", "application/json");
      req.onload = function () {
        if (req.status !== 200) { setTimeout(poll, 5000); return; }
        var p = JSON.parse(req.responseText);
        bar.value = p.percent;
        bar.textContent = p.percent + "%";
        text.textContent = p.message;
        if (p.state === "building") { setTimeout(poll, 2000); } else { window.location.reload(); }
      };
      req.onerror = function () { setTimeout(poll, 5000); };
      req.send();
    }
    setTimeout(poll, 1000);
  });
}());
