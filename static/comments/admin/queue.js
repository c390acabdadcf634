// The moderation queue's keyboard: j and k move between comments, a, s, r
// and t press the current comment's Approve, Spam, Remove and Approve &
// trust buttons, x ticks it for a bulk action. (The admin loads it in the
// page's head, so it waits for the table.) The buttons are plain form
// buttons; after one, the page comes back at the comment that was below.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  const table = document.getElementById("result_list");
  if (!table || !document.body.classList.contains("model-comment")) {
    return;
  }
  const rows = Array.from(table.tBodies[0].rows);
  let current = null;

  function select(row) {
    if (!row) {
      return;
    }
    if (current) {
      current.classList.remove("queue-current");
    }
    current = row;
    row.classList.add("queue-current");
    row.tabIndex = -1;
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }

  function rowOf(hash) {
    const target = hash.length > 1 && document.getElementById(hash.slice(1));
    return target ? target.closest("tr") : null;
  }

  function isTyping(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  const arrived = rowOf(window.location.hash);
  if (arrived) {
    select(arrived);
  }

  table.addEventListener("click", function (event) {
    const row = event.target.closest("tr");
    if (row && rows.includes(row)) {
      select(row);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) {
      return;
    }
    const index = rows.indexOf(current);
    if (event.key === "j") {
      select(rows[Math.min(index + 1, rows.length - 1)]);
    } else if (event.key === "k") {
      select(rows[Math.max(index - 1, 0)]);
    } else if (event.key === "x" && current) {
      current.querySelector("input.action-select")?.click();
    } else if (current) {
      const button = current.querySelector(`button[data-key="${event.key}"]`);
      if (!button) {
        return;
      }
      button.click();
    } else {
      return;
    }
    event.preventDefault();
  });
});
