"use strict";
// The post form in the admin: a live preview of the Markdown body, a warning
// before leaving with unsaved changes, and names for the autocomplete boxes.
// A static file because the content security policy allows no inline script;
// the admin also loads it on the post list, where it finds no form.
{
    const PREVIEW_DELAY_MS = 300;

    // The body as the post's page will show it, from the server's renderer and
    // sanitizer (PostAdmin.body_preview), a moment after typing stops.
    function startPreview(textarea) {
        const token = textarea.form.elements.csrfmiddlewaretoken.value;
        const editor = document.createElement("div");
        editor.className = "markdown-editor";
        const section = document.createElement("section");
        section.className = "markdown-preview";
        // It scrolls beside the body at desktop widths: keyboards can too.
        section.tabIndex = 0;
        section.setAttribute("aria-labelledby", `${textarea.id}_preview_heading`);
        const heading = document.createElement("h3");
        heading.id = `${textarea.id}_preview_heading`;
        heading.textContent = "Preview";
        const preview = document.createElement("div");
        preview.className = "markdown-preview-body";
        section.append(heading, preview);
        textarea.before(editor);
        editor.append(textarea, section);

        let timer = null;
        let latest = 0;
        async function refresh() {
            const request = ++latest;
            const body = new FormData();
            body.append("body", textarea.value);
            if (format) {
                body.append("body_format", format.value);
            }
            let html;
            try {
                const response = await fetch(textarea.dataset.previewUrl, {
                    method: "POST",
                    body,
                    headers: {"X-CSRFToken": token},
                    credentials: "same-origin",
                });
                if (!response.ok) {
                    throw new Error(`${response.status} ${response.statusText}`);
                }
                html = await response.text();
            } catch (error) {
                html = null;
            }
            // Answers can arrive out of order: show only the newest request's.
            if (request !== latest) {
                return;
            }
            if (html === null) {
                preview.textContent = "The preview could not be updated.";
            } else {
                // Sanitized by the server, as the public page's body is.
                preview.innerHTML = html;
            }
        }
        textarea.addEventListener("input", () => {
            clearTimeout(timer);
            timer = setTimeout(refresh, PREVIEW_DELAY_MS);
        });
        const format = textarea.form.querySelector("[name=body_format]");
        if (format) {
            format.addEventListener("change", refresh);
        }
        refresh();
    }

    function warnBeforeLeaving(form) {
        // A form sent back with errors holds changes not yet saved.
        let changed = form.querySelector(".errornote") !== null;
        let submitting = false;
        const markChanged = () => {
            changed = true;
        };
        form.addEventListener("input", markChanged);
        form.addEventListener("change", markChanged);
        // Select2's boxes announce a choice through jQuery alone.
        django.jQuery(form).on("change", markChanged);
        form.addEventListener("submit", () => {
            submitting = true;
        });
        window.addEventListener("beforeunload", (event) => {
            if (changed && !submitting) {
                event.preventDefault();
                event.returnValue = "";
            }
        });
    }

    // Select2, behind the admin's autocomplete boxes, gives its combobox and
    // search box no name for a screen reader to announce: give them the label.
    function nameAutocompletes(form) {
        for (const select of form.querySelectorAll("select.admin-autocomplete")) {
            const label = form.querySelector(`label[for="${select.id}"]`);
            const container = select.nextElementSibling;
            if (!label || !container || !container.classList.contains("select2")) {
                continue;
            }
            label.id ||= `${select.id}_label`;
            const nameBox = (box) => box.setAttribute("aria-labelledby", label.id);
            container.querySelectorAll("[role=textbox], [role=searchbox]").forEach(nameBox);
            for (const combobox of container.querySelectorAll("[role=combobox]")) {
                // Its name, then the choice made.
                const choice = combobox.getAttribute("aria-labelledby");
                combobox.setAttribute(
                    "aria-labelledby", choice ? `${label.id} ${choice}` : label.id
                );
            }
            // A single choice's search box is in a dropdown made when opened.
            django.jQuery(select).on("select2:open", () => {
                document.querySelectorAll(".select2-dropdown [role=searchbox]")
                    .forEach(nameBox);
            });
        }
    }

    document.addEventListener("DOMContentLoaded", () => {
        const form = document.getElementById("post_form");
        if (!form) {
            return;
        }
        const body = form.querySelector("textarea[data-preview-url]");
        if (body) {
            startPreview(body);
        }
        warnBeforeLeaving(form);
        // After the admin's autocomplete.js has started Select2, which it does
        // on jQuery's ready: queued now, this runs after it.
        django.jQuery(() => nameAutocompletes(form));
    });
}
