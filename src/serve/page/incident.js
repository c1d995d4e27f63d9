// The incident page's correction forms. The admin token is asked for once per tab, kept in
// sessionStorage (never a cookie or the URL) and sent as `Authorization: Bearer`; the forms
// show only once a token is kept. Each form posts to the write API and reloads the page of
// the incident the correction leaves.
(function () {
  "use strict";
  var KEY = "breachwatch-admin-token";
  var forms = document.getElementById("forms");
  var tokenForm = document.getElementById("token-form");
  var status = document.getElementById("correct-status");
  if (!forms || !tokenForm) { return; }
  var id = forms.getAttribute("data-id");
  function show() {
    var has = !!sessionStorage.getItem(KEY);
    forms.hidden = !has;
    tokenForm.hidden = has;
  }
  function value(elementId) { return document.getElementById(elementId).value; }
  function send(path, body) {
    status.textContent = "Saving…";
    fetch(path, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "Authorization": "Bearer " + sessionStorage.getItem(KEY)
      },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok) {
          if (response.status === 401 || response.status === 403) {
            sessionStorage.removeItem(KEY);
            show();
          }
          status.textContent = "Refused: " + ((answer.error && answer.error.message) || response.status);
          return;
        }
        status.textContent = "Saved.";
        var next = (answer.ids && answer.ids[0]) || id;
        window.location.assign("/incidents/" + encodeURIComponent(next));
      });
    }).catch(function (error) { status.textContent = "Failed: " + error; });
  }
  function on(formId, handler) {
    document.getElementById(formId).addEventListener("submit", function (event) {
      event.preventDefault();
      handler();
    });
  }
  var base = "/api/incidents/" + encodeURIComponent(id);
  on("token-form", function () {
    var token = value("token").trim();
    if (token) { sessionStorage.setItem(KEY, token); }
    document.getElementById("token").value = "";
    show();
  });
  on("set-form", function () {
    var set = {};
    set[value("set-field")] = value("set-value");
    send(base + "/corrections", { set: set, reason: value("set-reason") });
  });
  on("merge-form", function () {
    send("/api/merges", { ids: [id, value("merge-other").trim()], reason: value("merge-reason") });
  });
  on("split-form", function () {
    send(base + "/split", { article: value("split-article"), reason: value("split-reason") });
  });
  on("dismiss-form", function () {
    var restore = !!document.getElementById("restore");
    send(base + (restore ? "/restore" : "/dismiss"), { reason: value("dismiss-reason") });
  });
  show();
})();
