"""A WordPress site's authors, as accounts here (blog.wordpress.importing)."""

import re
from html import unescape

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

USERNAME_UNSAFE = re.compile(r"[^\w.@+-]")


class AuthorImport:
    """
    Matched on their login, as WordPress's own importer does: an account
    with that username, or with that email address, else a new account that
    cannot sign in until an administrator sets a password.
    """

    def __init__(self, *, report):
        self.report = report
        self.accounts = {}  # login → account
        self.by_id = {}  # WordPress user id → account

    def add(self, author):
        login = author.login.strip()
        if not login:
            self.report.note("authors", "An author without a login was skipped.")
            return
        account = self.account_for(
            login,
            email=author.email,
            display_name=unescape(author.display_name),
            first_name=unescape(author.first_name),
            last_name=unescape(author.last_name),
        )
        if author.wordpress_id is not None:
            self.by_id[author.wordpress_id] = account

    def account_for(self, login, **details):
        """
        The account for a WordPress login: the one this import made or
        matched already, an account with that username or email address, or
        a new one that cannot sign in until an administrator sets a password.
        """
        if login in self.accounts:
            return self.accounts[login]
        User = get_user_model()
        username = USERNAME_UNSAFE.sub("-", login)[:150]
        email = details.get("email", "").strip()
        try:
            validate_email(email)
        except ValidationError:
            if email:
                self.report.note(
                    "authors", f"Author {login}: “{email}” is not an email address."
                )
            email = ""
        account = User.objects.filter(username__iexact=username).first()
        if account is None and email:
            account = User.objects.filter(email__iexact=email).first()
            if account is not None:
                self.report.note(
                    "authors",
                    f"Author {login}: given to the existing account "
                    f"{account.username}, which has the same email address.",
                )
        if account is not None:
            self.report.count("authors", "unchanged")
        else:
            account = User(
                username=username,
                email=email,
                display_name=details.get("display_name", "")[:150],
                first_name=details.get("first_name", "")[:150],
                last_name=details.get("last_name", "")[:150],
            )
            account.set_unusable_password()
            account.save()
            self.report.count("authors", "created")
            if username != login:
                self.report.note("authors", f"Author {login}: signs in as {username}.")
        self.accounts[login] = account
        return account

    # Categories and tags
