"""
The project's templates keep to the Content Security Policy (config/settings.py):
scripts and styles come from the site's own files, never from the page itself.
A browser under the policy would refuse anything inline, so the page would
break quietly; these tests name the file and line instead.
"""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

# A data block (JSON-LD) is not run, so the policy does not apply to it.
INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\b(?:src\s*=|type=\"application/ld\+json\"))[^>]*>",
    re.IGNORECASE,
)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"javascript\s*:", re.IGNORECASE)


def offending_lines(pattern):
    """Every `file:line: text` under templates/ where the pattern matches."""
    found = []
    for path in sorted(TEMPLATES.rglob("*")):
        if not path.is_file():
            continue
        text = path.read_text()
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(
                f"{path.relative_to(TEMPLATES)}:{line}: "
                f"{text.splitlines()[line - 1].strip()}"
            )
    return found


def test_templates_exist_to_be_scanned():
    assert any(TEMPLATES.rglob("*.html"))


def test_no_template_has_an_inline_script():
    assert offending_lines(INLINE_SCRIPT) == []


def test_no_template_has_an_inline_style_element():
    assert offending_lines(STYLE_ELEMENT) == []


def test_no_template_has_a_style_attribute():
    assert offending_lines(STYLE_ATTRIBUTE) == []


def test_no_template_has_an_event_handler_attribute():
    assert offending_lines(EVENT_HANDLER) == []


def test_no_template_has_a_javascript_url():
    assert offending_lines(JAVASCRIPT_URL) == []


def test_the_scan_finds_what_it_looks_for():
    # Without this, a broken pattern would pass every template.
    samples = {
        INLINE_SCRIPT: '<script>alert(1)</script> <script defer id="x">',
        STYLE_ELEMENT: "<style>p { color: red }</style>",
        STYLE_ATTRIBUTE: '<p style="color: red">',
        EVENT_HANDLER: '<img src="x" onerror="alert(1)"> <a onClick = "go()">',
        JAVASCRIPT_URL: '<a href="JavaScript:alert(1)">',
    }
    for pattern, sample in samples.items():
        assert pattern.search(sample), pattern.pattern
    assert not INLINE_SCRIPT.search('<script src="/static/js/comments.js" defer>')
    assert not INLINE_SCRIPT.search('<script type="application/ld+json">')
    assert INLINE_SCRIPT.search('<script type="module">')
    assert not EVENT_HANDLER.search('<p class="one">Based on the data</p>')
