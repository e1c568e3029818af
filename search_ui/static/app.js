/* bronzoeker: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  /* Copy buttons: <button data-copy="ID" hidden> copies the text of element ID. */
  function setUpCopyButtons() {
    if (!navigator.clipboard) { return; }
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      var status = button.parentNode.querySelector(".copy-status");
      if (!source) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          if (status) { status.textContent = button.getAttribute("data-copied"); }
        });
      });
    });
  }

  /* When a result link carries #pN, make sure the page heading gets focus for screen readers. */
  function focusTarget() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    if (target && target.classList.contains("page")) {
      target.setAttribute("tabindex", "-1");
      target.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpCopyButtons();
    focusTarget();
  });
}());
