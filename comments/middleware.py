from .threads import SPLICE_ATTRIBUTE


class ThreadSpliceMiddleware:
    """
    Puts each post thread a page rendered into the encoded response, where
    threads.thread_placeholder() left its marker (see there for why).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        threads = getattr(request, SPLICE_ATTRIBUTE, None)
        if threads and not response.streaming:
            content = response.content
            for marker, html in threads.items():
                content = content.replace(marker, html, 1)
            response.content = content
        return response
