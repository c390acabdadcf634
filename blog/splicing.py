"""
Pages that hold a large fragment of cached HTML, put into the response as
bytes rather than passed through the templates.

A post's thread is cached as UTF-8 bytes and runs to megabytes. Given to the
template as text, it would be decoded, copied again at every level of the
page's nesting (the inclusion tag, {% block %}, {% extends %}), widened to 2
or 4 bytes a character wherever the page holds one non-ASCII character (the
site's name does), and encoded again. Measured with `make bench` on SQLite, a
post page read from the cache took, through the template and spliced:
1,000 comments 7.2 ms and 2.1 ms; 5,000 comments 27.4 ms and 3.9 ms.

So a view renders such a page with render_spliced(), and a template tag that
has such bytes hands them to splice(), which returns what stands in for them
in the template's output: a comment with a random name, new for every
fragment of every page, so that no text on the page, whoever wrote it, can
be taken for it. render_spliced() then puts each fragment's bytes in place of
its stand-in in the encoded page.
"""

import secrets

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

# Where, in the template context, render_spliced() collects the fragments.
FRAGMENTS = "spliced_fragments"


def render_spliced(request, template_name, context, status=200):
    """render(), with the fragments template tags gave splice() put in."""
    fragments = {}
    page = render_to_string(template_name, {**context, FRAGMENTS: fragments}, request)
    page = page.encode()
    for stand_in, html in fragments.items():
        page = page.replace(stand_in, html, 1)
    return HttpResponse(page, status=status)


def splice(context, html):
    """
    What stands in the template for `html` (UTF-8 bytes) until
    render_spliced() puts it there; the HTML itself on a page rendered
    otherwise.
    """
    fragments = context.get(FRAGMENTS)
    if fragments is None or not html:
        return mark_safe(html.decode())
    stand_in = f"<!--fragment-{secrets.token_hex(16)}-->"
    fragments[stand_in.encode()] = html
    return mark_safe(stand_in)
