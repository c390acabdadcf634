"""Mail in development: printed in the terminal, readable and with working links."""

from io import StringIO

from django.core import mail

from config.console_mail import EmailBackend
from tests.config.test_settings import manage

LINK = "https://blog.example.org/accounts/verify-email/" + "Zm9vYmFy" * 15 + "/"
SEND = f"""
from django.core.mail import send_mail
send_mail(
    "Confirmez l’adresse de Zoë",
    "Bonjour Zoë,\\n\\n{LINK}\\n",
    None,
    ["zoë@example.org"],
)
"""


def printed(*messages):
    stream = StringIO()
    EmailBackend(stream=stream).send_messages(list(messages))
    return stream.getvalue()


def test_a_long_link_and_accented_text_print_as_written():
    message = mail.EmailMessage(
        "Confirmez l’adresse de Zoë",
        f"Bonjour Zoë,\n\n{LINK}\n",
        "Children’s Notes <blog@example.org>",
        ["zoë@example.org"],
        headers={"List-Unsubscribe": "<https://blog.example.org/unsubscribe/x/>"},
    )

    output = printed(message)

    assert LINK in output.splitlines()
    assert "Bonjour Zoë," in output.splitlines()
    assert "From: Children’s Notes <blog@example.org>" in output
    assert "To: zoë@example.org" in output
    assert "Subject: Confirmez l’adresse de Zoë" in output
    assert "List-Unsubscribe: <https://blog.example.org/unsubscribe/x/>" in output
    assert "=C3=AB" not in output and "=?utf-8?" not in output


def test_a_message_with_an_html_version_prints_its_text_and_says_so():
    message = mail.EmailMultiAlternatives("Hi", "Plain words.", to=["a@example.org"])
    message.attach_alternative("<p>HTML words.</p>", "text/html")

    output = printed(message)

    assert "Plain words." in output
    assert "HTML words." not in output
    assert "(Also in the message: text/html.)" in output
    assert "List-Unsubscribe" not in output


def test_development_prints_mail_readably_in_the_terminal(tmp_path):
    result = manage("shell", "-c", SEND, env={"DJANGO_VAR_DIR": str(tmp_path)})

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert LINK in lines
    assert "Bonjour Zoë," in lines
    assert "Subject: Confirmez l’adresse de Zoë" in lines
