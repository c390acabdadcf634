from urllib.parse import unquote_to_bytes

from django.core.exceptions import BadRequest
from django.shortcuts import render
from django.template.loader import render_to_string


class MethodNotAllowedPageMiddleware:
    """
    Give a 405 answer the site's page with a clear message. Django's
    require_POST and class-based views answer 405 with an empty body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            response.content = render_to_string(
                "405.html", {"method": request.method}, request=request
            )
            response["Content-Type"] = "text/html; charset=utf-8"
        return response


class NullCharacterMiddleware:
    """
    Refuse an address whose query string holds a NUL character, with the
    site's 400 page. No page takes one, and PostgreSQL refuses NUL in text,
    so a value passed on to a query (an admin filter, say) would fail there.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")):
            problem = "The address holds a null character, which no page here takes."
            return render(request, "400.html", {"problems": [problem]}, status=400)
        return self.get_response(request)


def bad_request(request, exception):
    """
    The site's 400 page (handler400), for requests Django refuses before any
    view: a form body in another encoding than UTF-8, say, or a host not
    allowed.

    Django's own handler runs the CSRF check's token lookup again
    (requires_csrf_token), which reads the refused body a second time and
    fails too, so the visitor got a bare 500 from the server instead.
    BadRequest's messages say what was wrong with the request; the other
    refusals (SuspiciousOperation) may name internals and are not shown.
    """
    problems = [str(exception)] if type(exception) is BadRequest else []
    return render(request, "400.html", {"problems": problems}, status=400)
