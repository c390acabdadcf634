from django.urls import register_converter


class NameConverter:
    """
    A name in a URL (a username, a tag): any text up to the next slash, as
    <str:> takes, except NUL. No name holds a NUL, and PostgreSQL refuses one
    in a query with an error, so such an address must be a plain 404.
    """

    regex = "[^/\x00]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


# Registered here, once, so that every urls.py importing this module may use it.
register_converter(NameConverter, "name")
