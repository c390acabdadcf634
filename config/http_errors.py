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
