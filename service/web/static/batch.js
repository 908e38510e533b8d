/* The batch page's live progress: polls GET /api/v1/batches/<id> (the address in data-poll) every
 * second, moves the <progress> bar, rewrites the status line and the list of branches that failed,
 * and shows the download link once the batch is finished. Without this script the page says the
 * same things as of its loading and a 「刷新进度」 link reloads it.
 * ES5 and XMLHttpRequest on purpose (old WebKit cores of the dual-engine browsers); no inline script. */
(function () {
  "use strict";
  var EVERY_MS = 1000, AFTER_ERROR_MS = 3000;
  var box = document.getElementById("batch-progress");
  if (!box || !window.XMLHttpRequest || !window.JSON) { return; }

  function byId(id) { return document.getElementById(id); }

  function show(id, visible) {
    var el = byId(id);
    if (visible) { el.removeAttribute("hidden"); } else { el.setAttribute("hidden", ""); }
  }

  function failures(branches) {
    var list = byId("batch-failures"), base = box.getAttribute("data-branches"), count = 0, i;
    while (list.firstChild) { list.removeChild(list.firstChild); }
    for (i = 0; i < branches.length; i++) {
      var b = branches[i];
      if (b.state !== "failed") { continue; }
      var item = document.createElement("li"), link = document.createElement("a");
      link.href = base + encodeURIComponent(b.code);
      link.textContent = b.code + " " + (b.name || "");
      item.appendChild(link);
      item.appendChild(document.createTextNode("：" + (b.error || "生成失败")));
      list.appendChild(item);
      count++;
    }
    show("batch-failed", count > 0);
  }

  function update(p) {
    byId("batch-bar").value = p.percent;
    byId("batch-bar").textContent = p.percent + "%";
    byId("batch-percent").textContent = p.percent + "%";
    byId("batch-text").textContent = p.message;
    failures(p.branches || []);
    var finished = p.state === "finished";
    box.setAttribute("data-state", p.state);
    show("batch-refresh", !finished);
    show("batch-download", finished && !!p.download);
    return finished;
  }

  function poll() {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", box.getAttribute("data-poll"), true);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.timeout = 30000;
    xhr.onload = function () {
      var p = null;
      if (xhr.status === 200) {
        try { p = JSON.parse(xhr.responseText); } catch (e) { p = null; }
      }
      if (!p) { return retry(); }
      if (!update(p)) { setTimeout(poll, EVERY_MS); }
    };
    xhr.onerror = xhr.ontimeout = retry;
    xhr.send();
  }

  function retry() {
    byId("batch-text").textContent = "暂时读不到进度（网络或服务器繁忙），几秒后自动重试……";
    setTimeout(poll, AFTER_ERROR_MS);
  }

  if (box.getAttribute("data-state") !== "finished") { poll(); }
}());
