/* A tap that takes a while shows it is working (issue 18 item 12).
   Progressive enhancement: without this file every form still posts as before.
   On the first submit of a form, its button says what is happening ("Moving…") and further
   submits of that form are ignored, so a second tap can't send the change twice. The button
   is not disabled: a disabled button's name and value would drop out of the form's data. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) {
      return;
    }
    if (form.getAttribute("data-sent") === "yes") {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-sent", "yes");
    form.setAttribute("aria-busy", "true");
    var button = event.submitter || form.querySelector("button[type=submit], button:not([type])");
    if (button) {
      var busy = button.getAttribute("data-busy") || form.getAttribute("data-busy") || "One moment…";
      button.setAttribute("data-label", button.textContent);
      button.textContent = busy;
      button.classList.add("is-busy");
    }
  });
  /* Back from the next page (the browser's cache keeps this one): the form works again. */
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    document.querySelectorAll("form[data-sent]").forEach(function (form) {
      form.removeAttribute("data-sent");
      form.removeAttribute("aria-busy");
    });
    document.querySelectorAll("button[data-label]").forEach(function (button) {
      button.textContent = button.getAttribute("data-label");
      button.removeAttribute("data-label");
      button.classList.remove("is-busy");
    });
  });
})();
