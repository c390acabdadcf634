from django.urls import register_converter


class PagePathConverter:
    """
    A standalone page's address: its slug under its parents' slugs
    ("about/team"). Only slugs, so that any other unknown address (a file
    name such as /favicon.ico, a NUL) stays a plain 404 rather than a
    redirect to the same address with a slash.
    """

    regex = "[-a-zA-Z0-9_]+(?:/[-a-zA-Z0-9_]+)*"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(PagePathConverter, "page_path")
