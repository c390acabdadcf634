// A link to a comment inside folded replies ("n more replies") opens the
// folds around it; browsers that reveal <details> for a fragment do so too.
(function () {
  "use strict";

  function openFoldsAroundTarget() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    var fold = target && target.parentElement.closest("details");
    if (!fold) {
      return;
    }
    while (fold) {
      fold.open = true;
      fold = fold.parentElement.closest("details");
    }
    target.scrollIntoView();
  }

  openFoldsAroundTarget();
  window.addEventListener("hashchange", openFoldsAroundTarget);
})();

// Inline replies: "Reply" moves the comment form under the comment and sets
// its parent; "Cancel reply" puts it back. Without this script the Reply link
// leads to a reply page of its own.
(function () {
  "use strict";

  var respond = document.getElementById("respond");
  if (!respond) {
    return;
  }
  var form = respond.querySelector("form");
  var parentField = form.querySelector("input[name=parent]");
  var title = document.getElementById("reply-title");
  var cancel = document.getElementById("cancel-reply");
  var home = document.createElement("div");
  home.id = "respond-home";
  respond.parentNode.insertBefore(home, respond);

  function focusBody() {
    var body = form.querySelector("textarea");
    if (body) {
      body.focus();
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest(".comment-reply-link");
    if (!link || !title) {
      return;
    }
    var item = document.getElementById("comment-" + link.dataset.parent);
    if (!item) {
      return;
    }
    event.preventDefault();
    var article = item.querySelector(".comment-body");
    article.after(respond);
    parentField.value = link.dataset.parent;
    title.textContent = "Reply to " + link.dataset.author;
    cancel.parentNode.hidden = false;
    focusBody();
  });

  if (cancel) {
    cancel.addEventListener("click", function (event) {
      event.preventDefault();
      home.after(respond);
      parentField.value = "";
      title.textContent = title.dataset.default;
      cancel.parentNode.hidden = true;
      focusBody();
    });
  }
})();
