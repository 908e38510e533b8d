/* The member's form: a 预备党员 has no 转正时间, so choosing it clears that date (the contract's rule). */
(function () {
  var type = document.getElementById("f-member_type");
  var full = document.getElementById("f-full_member_date");
  if (!type || !full) { return; }
  function sync() {
    if (type.value === "预备党员") { full.value = ""; full.readOnly = true; } else { full.readOnly = false; }
  }
  type.addEventListener("change", sync);
  sync();
}());
