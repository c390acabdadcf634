"""
The development mail backend: each message printed as its reader would see it.

Django's console backend prints a message as it is sent. A body with a
non-ASCII character is then quoted-printable: lines longer than 76
characters are broken with "=" and every "=" is written "=3D", so a link
copied from the terminal leads nowhere. This backend prints the headers a
reader looks at, decoded, and the plain-text body as written, in UTF-8.
"""

from django.core.mail.backends import console

HEADERS = ("From", "To", "Cc", "Reply-To", "Subject", "List-Unsubscribe")


class EmailBackend(console.EmailBackend):
    def write_message(self, message):
        sent = message.message()
        lines = [f"{name}: {sent[name]}" for name in HEADERS if sent[name]]
        body = sent.get_body(preferencelist=("plain",))
        lines.append("")
        lines.append(body.get_content().rstrip("\n") if body else "(no text part)")
        others = [
            part.get_content_type()
            for part in sent.walk()
            if not part.is_multipart() and part is not body
        ]
        if others:
            lines.append(f"\n(Also in the message: {', '.join(others)}.)")
        self.stream.write("\n".join(lines) + "\n" + "-" * 79 + "\n")
