/* PDF links on the result page: the server needs seconds to make a PDF and a download gives the
 * page no event, so the link itself fetches the file, says 「正在生成 PDF…」 while it waits,
 * ignores further clicks, saves the file under the exact name the server sends
 * (Content-Disposition filename*), and shows the server's Chinese message when it cannot.
 * Where fetch, Blob URLs or <a download> are missing, the link is left as a plain link.
 * ES5 on purpose (old WebKit cores of the dual-engine browsers); no inline script anywhere. */
(function () {
  "use strict";
  var TIMEOUT_MS = 300000; // the server gives up well before; this only frees a stuck button
  var status = document.getElementById("download-status");

  function supported() {
    return !!(window.fetch && window.Blob && window.URL && URL.createObjectURL && window.DOMParser &&
              "download" in document.createElement("a"));
  }

  /** The file name the server gave: filename* (UTF-8, RFC 5987) first, then filename. */
  function fileName(disposition, href) {
    var star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition || "");
    if (star) {
      try { return decodeURIComponent(star[1].replace(/^"|"$/g, "")); } catch (e) { /* fall through */ }
    }
    var plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition || "");
    return plain ? plain[1] : href.split("?")[0].split("/").pop();
  }

  /** The Chinese reason from the server's message page (its h1 and the red box), else a plain one. */
  function reason(html, code) {
    try {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var title = doc.querySelector("main h1");
      var box = doc.querySelector("main .box.bad");
      if (title && box) { return title.textContent + "：" + box.textContent; }
    } catch (e) { /* fall through */ }
    return "文件未能生成（服务器返回 " + code + "）。请稍后再试；也可先下载 Word/Excel 文件。";
  }

  function say(text) {
    if (status) { status.textContent = text; }
  }

  /** The reason goes in a row of its own under the link's row, where the clerk is looking. */
  function showError(link, text) {
    var row = link.parentNode.parentNode;
    var tr = document.createElement("tr");
    var td = document.createElement("td");
    var box = document.createElement("div");
    tr.className = "download-error";
    td.colSpan = row.cells.length;
    box.className = "box bad";
    box.setAttribute("role", "alert");
    box.textContent = text;
    td.appendChild(box);
    tr.appendChild(td);
    row.parentNode.insertBefore(tr, row.nextSibling);
    say("");
  }

  function clearError(link) {
    var next = link.parentNode.parentNode.nextSibling;
    while (next && next.nodeType !== 1) { next = next.nextSibling; }
    if (next && /\bdownload-error\b/.test(next.className)) { next.parentNode.removeChild(next); }
  }

  function setBusy(link, busy) {
    if (busy) {
      link.setAttribute("data-text", link.textContent);
      link.textContent = link.getAttribute("data-wait");
      link.setAttribute("aria-busy", "true");
      link.setAttribute("aria-disabled", "true");
      link.className += " busy";
    } else {
      link.textContent = link.getAttribute("data-text");
      link.removeAttribute("aria-busy");
      link.removeAttribute("aria-disabled");
      link.className = link.className.replace(/\s*\bbusy\b/g, "");
    }
  }

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(url); document.body.removeChild(a); }, 60000);
  }

  function fetchWithin(href, ms) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, ms) : null;
    return fetch(href, { credentials: "same-origin", signal: controller ? controller.signal : undefined })
      .then(function (resp) { return { resp: resp, timer: timer }; },
            function (err) { clearTimeout(timer); throw err; });
  }

  function download(link) {
    var href = link.href;
    clearError(link);
    setBusy(link, true);
    say(link.getAttribute("data-wait") + "（" + link.parentNode.parentNode.cells[0].textContent + "）");
    fetchWithin(href, TIMEOUT_MS).then(function (got) {
      var resp = got.resp;
      if (!resp.ok) {
        return resp.text().then(function (html) {
          clearTimeout(got.timer);
          throw new Error(reason(html, resp.status));
        });
      }
      if (!resp.headers.get("Content-Disposition")) { // not a file: the sign-in page (the session ended)
        clearTimeout(got.timer);
        throw new Error("登录已过期或已退出：请刷新本页，重新登录后再下载。");
      }
      var name = fileName(resp.headers.get("Content-Disposition"), href);
      return resp.blob().then(function (blob) {
        clearTimeout(got.timer);
        save(blob, name);
        setBusy(link, false);
        say("已生成：" + name + "，浏览器正在保存。");
      });
    }).then(null, function (err) {
      setBusy(link, false);
      var aborted = err && err.name === "AbortError";
      var network = err instanceof TypeError;
      showError(link, aborted ? "等待时间过长，文件未能生成。请稍后再试；也可先下载 Word/Excel 文件。"
                : network ? "网络连接中断，文件未能下载。请检查网络后再试。" : err.message);
    });
  }

  if (!supported()) { return; }
  document.addEventListener("click", function (event) {
    var link = event.target;
    while (link && !(link.tagName === "A" && link.hasAttribute("data-wait"))) { link = link.parentElement; }
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey || event.button) { return; }
    event.preventDefault();
    if (link.getAttribute("aria-busy") !== "true") { download(link); }
  });
}());
