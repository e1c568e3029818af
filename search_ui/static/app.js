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

  /* Basket forms (one document, or every result on the page) are sent in the background:
     the page keeps its scroll position and focus, the header count and every button on the
     page follow the new basket, and the status line (aria-live) says what happened. Without
     this, or when the request fails, the form is submitted as usual and the server redirects back. */
  var statusTimer = 0;

  function showBasket(state) {
    var inBasket = {};
    state.ids.forEach(function (id) { inBasket[id] = true; });
    document.querySelectorAll(".basket-count").forEach(function (count) {
      count.textContent = "(" + state.count + ")";
    });
    document.querySelectorAll("form.basket-form[data-add]").forEach(function (form) {
      var chosen = inBasket[form.elements.namedItem("id").value] === true;
      form.setAttribute("action", chosen ? form.getAttribute("data-remove") : form.getAttribute("data-add"));
      form.querySelector(".basket-label").textContent =
        chosen ? form.getAttribute("data-remove-label") : form.getAttribute("data-add-label");
    });
    var status = document.getElementById("mandje-status");
    if (status) {
      status.textContent = state.message;
      clearTimeout(statusTimer);
      statusTimer = setTimeout(function () { status.textContent = ""; }, 8000);
    }
  }

  function setUpBasket() {
    if (!window.fetch || !window.FormData) { return; }
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.matches("form.basket-form[data-add], form.basket-all")) { return; }
      event.preventDefault();
      fetch(form.getAttribute("action"), {
        method: "POST", body: new FormData(form), credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      }).then(showBasket).catch(function () { form.submit(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpCopyButtons();
    focusTarget();
    setUpBasket();
  });
}());
