"""
Bad requests on every URL that takes input: each gets a 4xx answer that says
what is wrong (never a 500), and none changes what the database holds.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from taggit.models import Tag

from accounts.models import User
from accounts.verification import verification_token
from blog.models import Category, Post, Publication
from comments.models import Comment
from comments.notifications import CONFIRM_SALT, UNSUBSCRIBE_SALT, comment_link_token
from tests import builders

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_forms")]

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a different horse entirely"
SCRIPT = '<script>alert("x")</script>'
ESCAPED_SCRIPT = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
HUGE = "99999999999999999999"
NOT_FOUND = "There is nothing at this address"
BAD_REQUEST = "This request could not be handled"
NUL_IN_ADDRESS = "The address holds a null character"
CSRF_FAILED = "Your form expired or was sent from another site"
NUL_REFUSED = "Null characters are not allowed."
BAD_URL = "Enter a valid URL."
CHANGED_FORM = "This form was not made by this site for this post."
BAD_RESET_LINK = "This password reset link is not valid"
NO_SUCH_OBJECT = "doesn’t exist. Perhaps it was deleted?"


@pytest.fixture
def site(db):
    """A small site: a post with a thread, its taxonomy, and two accounts."""
    writer = builders.make_user(username="writer")
    category = builders.make_category(slug="news")
    publication = builders.make_publication(slug="weekly")
    post = builders.make_post(
        slug="open-post",
        author=writer,
        categories=[category],
        tags=["django"],
        first_appeared_in=publication,
    )
    builders.make_post(slug="draft-post", status=Post.Status.DRAFT, author=writer)
    comment = builders.make_comment(post=post, is_subscribed_to_replies=True)
    held = builders.make_comment(post=post, status=Comment.Status.PENDING)
    member = builders.make_user(
        username="member", email="member@example.org", password=PASSWORD
    )
    moderator = builders.make_moderator(username="moderator")
    editor = builders.make_editor(username="editor")
    superuser = builders.make_user(username="admin", is_staff=True, is_superuser=True)
    return {
        "post": post,
        "comment": comment.pk,
        "held": held.pk,
        "token": comment_link_token(comment, salt=UNSUBSCRIBE_SALT),
        "member_uid": urlsafe_base64_encode(force_bytes(member.pk)),
        "verify_token": verification_token(member),
        "confirm_token": signing.dumps(
            {"comment": comment.pk, "email": comment.author_email},
            salt=CONFIRM_SALT,
        ),
        "old_address_token": signing.dumps(
            {"comment": comment.pk, "email": "previous@example.org"},
            salt=UNSUBSCRIBE_SALT,
        ),
        "users": {
            "member": member,
            "moderator": moderator,
            "editor": editor,
            "admin": superuser,
        },
    }


def database_state():
    """Everything a bad request could damage, as plain values."""
    return {
        "users": list(
            User.objects.order_by("pk").values_list(
                "pk",
                "username",
                "email",
                "display_name",
                "website",
                "bio",
                "password",
                "is_active",
                "is_email_verified",
            )
        ),  # fmt: skip
        "posts": list(
            Post.objects.order_by("pk").values_list(
                "pk", "slug", "discussion__comment_count"
            )
        ),
        "comments": list(
            Comment.objects.order_by("pk").values_list(
                "pk",
                "status",
                "body",
                "author_name",
                "author_url",
                "is_subscribed_to_replies",
                "parent_id",
                "tree_id",
                "lft",
                "rght",
            )
        ),  # fmt: skip
        "taxonomy": (
            Category.objects.count(),
            Publication.objects.count(),
            Tag.objects.count(),
        ),
    }


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    # {post}, {comment}, {held}, {token} and {member_uid} are filled in from
    # the site.
    url: str
    status: int
    phrase: str  # what the answer must say
    data: dict = field(default_factory=dict)
    query: bytes | None = None  # a raw QUERY_STRING, bytes and all
    who: str = "guest"  # or an account of the site fixture
    csrf: bool = False  # send without a CSRF token, checks enforced
    comment_form: bool = False  # add the form's signed timestamp, as a browser does
    follow: bool = False  # the status and phrase are those of the page redirected to
    # Send the form in this encoding, with a valid CSRF token, checks enforced.
    charset: str = ""
    avatar: str = ""  # upload tests.builders.png_bomb_upload(avatar) as the picture


def comment_data(**fields):
    return {
        "author_name": "Ada Guest",
        "author_email": "ada@example.org",
        "author_url": "",
        "body": "A fair comment.",
        **fields,
    }


COMMENT_URL = "/posts/{post}/comments/"
PROFILE_DATA = {"display_name": "Member", "website": "", "bio": ""}
SIGNUP_DATA = {
    "email": "new@example.org",
    "username": "newcomer",
    "display_name": "",
    "password1": PASSWORD,
    "password2": PASSWORD,
}
LOGIN_DATA = {"username": "member", "password": PASSWORD}
PASSWORD_CHANGE_DATA = {
    "old_password": PASSWORD,
    "new_password1": NEW_PASSWORD,
    "new_password2": NEW_PASSWORD,
}
NEW_PASSWORD_DATA = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
RESET_CONFIRM_URL = "/accounts/password/reset/{member_uid}/"

NOT_ALLOWED = "This address does not accept that request"
NOT_AN_IMAGE = "This file is not an image we can read"
STAFF_NAME = "This name is kept for the people who run this site"
INVISIBLE = "Remove the invisible characters"


NOT_UTF8 = "must be UTF-8 encoded"
FORMS_IN_UTF8 = [
    ("login", "/accounts/login/", LOGIN_DATA, "guest"),
    ("admin-login", "/admin/login/", LOGIN_DATA, "guest"),
    ("signup", "/accounts/signup/", SIGNUP_DATA, "guest"),
    ("password-reset", "/accounts/password/reset/", {"email": "member@example.org"},
     "guest"),
    ("comment", COMMENT_URL, comment_data(), "guest"),
    ("unsubscribe", "/comments/unsubscribe/not-a-token/", {}, "guest"),
    ("profile", "/accounts/profile/", PROFILE_DATA, "member"),
    ("admin-action", "/admin/comments/comment/",
     {"action": "delete_selected", "_selected_action": "{comment}"}, "moderator"),
]  # fmt: skip

CASES = [
    # A form sent without its CSRF token: the site's own 403 page.
    Case("csrf-comment", "post", COMMENT_URL, 403, CSRF_FAILED, comment_data(),
         csrf=True),
    Case("csrf-signup", "post", "/accounts/signup/", 403, CSRF_FAILED, SIGNUP_DATA,
         csrf=True),
    Case("csrf-login", "post", "/accounts/login/", 403, CSRF_FAILED, LOGIN_DATA,
         csrf=True),
    Case("csrf-password-reset", "post", "/accounts/password/reset/", 403, CSRF_FAILED,
         {"email": "member@example.org"}, csrf=True),
    Case("csrf-password-change", "post", "/accounts/password/change/", 403,
         CSRF_FAILED, PASSWORD_CHANGE_DATA, who="member", csrf=True),
    Case("csrf-profile", "post", "/accounts/profile/", 403, CSRF_FAILED,
         {**PROFILE_DATA, "display_name": "Hijacked"}, who="member", csrf=True),
    Case("csrf-account-delete", "post", "/accounts/delete/", 403, CSRF_FAILED,
         {"password": PASSWORD}, who="member", csrf=True),
    Case("csrf-verification-resend", "post", "/accounts/verify-email/resend/", 403,
         CSRF_FAILED, who="member", csrf=True),
    # (Unsubscribing takes no CSRF token: mail programs send the one-click POST,
    # and the signed link is what authorises it; tests/comments/test_notifications.)
    Case("csrf-logout", "post", "/accounts/logout/", 403, CSRF_FAILED, who="member",
         csrf=True),
    Case("csrf-admin-action", "post", "/admin/comments/comment/", 403, CSRF_FAILED,
         {"action": "delete_selected", "_selected_action": ["{comment}"]},
         who="moderator", csrf=True),
    # The wrong method.
    Case("get-comment-create", "get", COMMENT_URL, 405, NOT_ALLOWED),
    Case("put-unsubscribe", "put", "/comments/unsubscribe/{token}/", 405, NOT_ALLOWED),
    Case("get-logout", "get", "/accounts/logout/", 405, NOT_ALLOWED, who="member"),
    Case("get-verification-resend", "get", "/accounts/verify-email/resend/", 405,
         NOT_ALLOWED,
         who="member"),
    Case("put-signup", "put", "/accounts/signup/", 405, NOT_ALLOWED, SIGNUP_DATA),
    Case("delete-signup", "delete", "/accounts/signup/", 405, NOT_ALLOWED),
    Case("put-profile", "put", "/accounts/profile/", 405, NOT_ALLOWED,
         {**PROFILE_DATA, "display_name": "Renamed"}, who="member"),
    Case("delete-profile", "delete", "/accounts/profile/", 405, NOT_ALLOWED,
         who="member"),
    Case("put-account-delete", "put", "/accounts/delete/", 405, NOT_ALLOWED,
         {"password": PASSWORD}, who="member"),
    Case("delete-account-delete", "delete", "/accounts/delete/", 405, NOT_ALLOWED,
         {"password": PASSWORD}, who="member"),
    Case("put-login", "put", "/accounts/login/", 405, NOT_ALLOWED, LOGIN_DATA),
    Case("delete-login", "delete", "/accounts/login/", 405, NOT_ALLOWED),
    Case("put-password-change", "put", "/accounts/password/change/", 405,
         NOT_ALLOWED, PASSWORD_CHANGE_DATA, who="member"),
    Case("delete-password-change", "delete", "/accounts/password/change/", 405,
         NOT_ALLOWED, who="member"),
    Case("put-password-reset", "put", "/accounts/password/reset/", 405, NOT_ALLOWED,
         {"email": "member@example.org"}),
    Case("delete-password-reset", "delete", "/accounts/password/reset/", 405,
         NOT_ALLOWED),
    Case("put-password-reset-confirm", "put", RESET_CONFIRM_URL + "set-password/",
         405, NOT_ALLOWED, NEW_PASSWORD_DATA),
    Case("post-home", "post", "/", 405, NOT_ALLOWED),
    Case("post-search", "post", "/search/", 405, NOT_ALLOWED, {"q": "budget"}),
    Case("post-feed", "post", "/feed/", 405, NOT_ALLOWED),
    Case("post-atom-feed", "post", "/feed/atom/", 405, NOT_ALLOWED),
    Case("delete-post-page", "delete", "/posts/{post}/", 405, NOT_ALLOWED),
    Case("post-year-archive", "post", "/2024/", 405, NOT_ALLOWED),
    Case("post-category-archive", "post", "/category/news/", 405, NOT_ALLOWED),
    Case("post-reply-page", "post", "/posts/{post}/comments/{comment}/reply/", 405,
         NOT_ALLOWED),
    Case("post-my-comments", "post", "/comments/mine/", 405, NOT_ALLOWED,
         who="member"),
    # Too much: a comment longer than allowed; a body over the upload limit.
    Case("comment-too-long", "post", COMMENT_URL, 400,
         f"Ensure this value has at most {settings.COMMENTS_MAX_LENGTH} characters",
         comment_data(body="x" * (settings.COMMENTS_MAX_LENGTH + 1)),
         comment_form=True),
    Case("comment-body-over-upload-limit", "post", COMMENT_URL, 400, BAD_REQUEST,
         comment_data(body="x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE)),
    Case("signup-body-over-upload-limit", "post", "/accounts/signup/", 400, BAD_REQUEST,
         {**SIGNUP_DATA, "display_name": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE}),
    Case("profile-body-over-upload-limit", "post", "/accounts/profile/", 400,
         BAD_REQUEST,
         {**PROFILE_DATA, "bio": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
         who="member"),
    Case("login-body-over-upload-limit", "post", "/accounts/login/", 400,
         BAD_REQUEST,
         {**LOGIN_DATA, "password": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE}),
    # NUL bytes in form fields.
    Case("nul-comment-body", "post", COMMENT_URL, 400, NUL_REFUSED,
         comment_data(body="Hello\x00there"), comment_form=True),
    Case("nul-comment-name", "post", COMMENT_URL, 400, NUL_REFUSED,
         comment_data(author_name="Ada\x00"), comment_form=True),
    Case("nul-comment-email", "post", COMMENT_URL, 400, "Enter a valid email address.",
         comment_data(author_email="ada\x00@example.org"), comment_form=True),
    Case("nul-comment-timestamp", "post", COMMENT_URL, 400, NUL_REFUSED,
         comment_data(timestamp="\x00")),
    Case("nul-signup-username", "post", "/accounts/signup/", 400, NUL_REFUSED,
         {**SIGNUP_DATA, "username": "new\x00comer"}),
    Case("nul-login-username", "post", "/accounts/login/", 400, NUL_REFUSED,
         {**LOGIN_DATA, "username": "member\x00"}),
    Case("nul-password-reset-email", "post", "/accounts/password/reset/", 400,
         NUL_REFUSED, {"email": "member\x00@example.org"}),
    Case("nul-profile-name", "post", "/accounts/profile/", 400, NUL_REFUSED,
         {**PROFILE_DATA, "display_name": "Mem\x00ber"}, who="member"),
    Case("nul-account-delete-password", "post", "/accounts/delete/", 400, NUL_REFUSED,
         {"password": "\x00"}, who="member"),
    Case("nul-password-change-new-password", "post", "/accounts/password/change/",
         400, NUL_REFUSED,
         {**PASSWORD_CHANGE_DATA, "new_password1": "new\x00password"},
         who="member"),
    Case("nul-password-change-old-password", "post", "/accounts/password/change/",
         400, NUL_REFUSED, {**PASSWORD_CHANGE_DATA, "old_password": "\x00"},
         who="member"),
    # NUL bytes and invalid UTF-8 in query strings and paths.
    Case("nul-page-number", "get", "/", 400, NUL_IN_ADDRESS, query=b"page=%00"),
    Case("invalid-utf8-page-number", "get", "/", 404, NOT_FOUND, query=b"page=%FF%FE"),
    Case("raw-invalid-utf8-page", "get", "/category/news/", 404, NOT_FOUND,
         query=b"page=\xff\xfe"),
    Case("invalid-utf8-login-next", "get", "/accounts/login/", 200, "Log in",
         query=b"next=%FF%FE"),
    Case("nul-login-next", "get", "/accounts/login/", 400, NUL_IN_ADDRESS,
         query=b"next=%FF%FE%00"),
    Case("invalid-utf8-feed", "get", "/feed/", 200, "<rss", query=b"page=%FF"),
    Case("nul-feed", "get", "/feed/", 400, NUL_IN_ADDRESS, query=b"page=%FF%00"),
    Case("invalid-utf8-atom-feed", "get", "/feed/atom/", 200, "<feed",
         query=b"x=%C0%AF"),
    Case("nul-in-post-slug", "get", "/posts/open%00post/", 404, NOT_FOUND),
    Case("nul-in-tag", "get", "/tag/dja%00ngo/", 404, NOT_FOUND),
    Case("nul-in-author", "get", "/author/wri%00ter/", 404, NOT_FOUND),
    Case("nul-in-profile", "get", "/accounts/people/mem%00ber/", 404, NOT_FOUND),
    Case("nul-in-avatar", "get", "/accounts/people/mem%00ber/avatar.svg", 404,
         NOT_FOUND),
    Case("nul-in-verify-link", "get", "/accounts/verify-email/ab%00c/", 400,
         "This verification link is not valid."),
    Case("nul-in-unsubscribe-link", "get", "/comments/unsubscribe/ab%00c/", 400,
         "This unsubscribe link is not valid."),
    Case("nul-in-password-reset-link", "get", "/accounts/password/reset/%00/a-b/", 400,
         BAD_RESET_LINK),
    Case("media-path-traversal", "get", "/media/../config/settings.py", 400,
         BAD_REQUEST),
    Case("media-encoded-path-traversal", "get", "/media/%2e%2e/config/settings.py",
         400, BAD_REQUEST),
    Case("nul-in-media-path", "get", "/media/avatars/a%00.png", 404, NOT_FOUND),
    # Links that were not made by the site.
    Case("forged-verify-link", "get", "/accounts/verify-email/not-a-token/", 400,
         "This verification link is not valid."),
    Case("forged-unsubscribe-link", "post", "/comments/unsubscribe/not-a-token/", 400,
         "This unsubscribe link is not valid."),
    Case("huge-id-password-reset-link", "get",
         "/accounts/password/reset/OTk5OTk5OTk5OTk5OTk5OTk5OTk5/a-b/", 400,
         BAD_RESET_LINK),
    Case("forged-token-password-reset-confirm", "post",
         RESET_CONFIRM_URL + "not-a-token/", 400, BAD_RESET_LINK, NEW_PASSWORD_DATA),
    Case("password-reset-confirm-without-link", "post",
         RESET_CONFIRM_URL + "set-password/", 400, BAD_RESET_LINK, NEW_PASSWORD_DATA),
    # javascript: and other non-web links in website fields.
    Case("javascript-comment-url", "post", COMMENT_URL, 400, BAD_URL,
         comment_data(author_url="javascript:alert(1)"), comment_form=True),
    Case("javascript-comment-url-mixed-case", "post", COMMENT_URL, 400, BAD_URL,
         comment_data(author_url=" JaVaScRiPt:alert(document.cookie)"),
         comment_form=True),
    Case("data-comment-url", "post", COMMENT_URL, 400, BAD_URL,
         comment_data(author_url="data:text/html,<script>alert(1)</script>"),
         comment_form=True),
    Case("javascript-profile-website", "post", "/accounts/profile/", 400, BAD_URL,
         {**PROFILE_DATA, "website": "javascript:alert(1)"}, who="member"),
    Case("script-profile-website", "post", "/accounts/profile/", 400, BAD_URL,
         {**PROFILE_DATA, "website": SCRIPT}, who="member"),
    # Tampered hidden fields of the comment form.
    Case("comment-without-timestamp", "post", COMMENT_URL, 400, CHANGED_FORM,
         comment_data()),
    Case("comment-forged-timestamp", "post", COMMENT_URL, 400, CHANGED_FORM,
         comment_data(timestamp="forged:token")),
    Case("reply-to-negative-id", "post", COMMENT_URL, 400,
         "The comment you replied to does not exist.", comment_data(parent="-1"),
         comment_form=True),
    Case("reply-to-huge-id", "post", COMMENT_URL, 400,
         "The comment you replied to does not exist.", comment_data(parent=HUGE),
         comment_form=True),
    Case("reply-to-non-number", "post", COMMENT_URL, 400, "Enter a whole number.",
         comment_data(parent="1 OR 1=1"), comment_form=True),
    Case("reply-to-held-comment", "post", COMMENT_URL, 400,
         "The comment you replied to is not published",
         comment_data(parent="{held}"), comment_form=True),
    Case("comment-on-draft", "post", "/posts/draft-post/comments/", 400,
         "This post is not published, so it takes no comments.", comment_data()),
    # Page numbers, dates and ids that do not exist.
    Case("huge-page", "get", "/", 404, NOT_FOUND, query=f"page={HUGE}".encode()),
    Case("negative-page", "get", "/", 404, NOT_FOUND, query=b"page=-1"),
    Case("fraction-page", "get", "/", 404, NOT_FOUND, query=b"page=1.5"),
    Case("huge-page-category", "get", "/category/news/", 404, NOT_FOUND,
         query=f"page={HUGE}".encode()),
    Case("huge-page-tag", "get", "/tag/django/", 404, NOT_FOUND,
         query=f"page={HUGE}".encode()),
    Case("huge-page-author", "get", "/author/writer/", 404, NOT_FOUND,
         query=f"page={HUGE}".encode()),
    Case("huge-page-publication", "get", "/first-appeared-in/weekly/", 404, NOT_FOUND,
         query=f"page={HUGE}".encode()),
    Case("page-past-the-last-tag", "get", "/tag/django/", 404, NOT_FOUND,
         query=b"page=2"),
    Case("exponent-page-author", "get", "/author/writer/", 404, NOT_FOUND,
         query=b"page=1e9"),
    Case("page-zero-publication", "get", "/first-appeared-in/weekly/", 404,
         NOT_FOUND, query=b"page=0"),
    Case("huge-page-my-comments", "get", "/comments/mine/", 200, "My comments",
         query=f"page={HUGE}".encode(), who="member"),
    Case("year-zero", "get", "/0/", 404, NOT_FOUND),
    Case("year-huge", "get", f"/{HUGE}/", 404, NOT_FOUND),
    Case("year-after-9999", "get", "/10000/", 404, NOT_FOUND),
    Case("month-zero", "get", "/2024/0/", 404, NOT_FOUND),
    Case("month-thirteen", "get", "/2024/13/", 404, NOT_FOUND),
    Case("month-huge", "get", f"/2024/{HUGE}/", 404, NOT_FOUND),
    Case("month-year-9999-december", "get", "/9999/12/", 404, NOT_FOUND),
    Case("year-archive-huge-page", "get", "/2024/", 404, NOT_FOUND,
         query=f"page={HUGE}".encode()),
    Case("reply-page-negative-id", "get", "/posts/{post}/comments/-1/reply/", 404,
         NOT_FOUND),
    Case("reply-page-huge-id", "get", f"/posts/{{post}}/comments/{HUGE}/reply/", 404,
         NOT_FOUND),
    Case("reply-page-held-comment", "get", "/posts/{post}/comments/{held}/reply/", 404,
         NOT_FOUND),
    Case("reply-page-unknown-post", "get", "/posts/nope/comments/{comment}/reply/",
         404, NOT_FOUND),
    # Unknown slugs and names.
    Case("unknown-post", "get", "/posts/no-such-post/", 404, NOT_FOUND),
    Case("unknown-post-comment", "post", "/posts/no-such-post/comments/", 404,
         NOT_FOUND, comment_data()),
    Case("unknown-category", "get", "/category/no-such-category/", 404, NOT_FOUND),
    Case("unknown-tag", "get", "/tag/no such tag/", 404, NOT_FOUND),
    Case("unknown-author", "get", "/author/nobody/", 404, NOT_FOUND),
    Case("unknown-publication", "get", "/first-appeared-in/nowhere/", 404, NOT_FOUND),
    Case("unknown-profile", "get", "/accounts/people/nobody/", 404, NOT_FOUND),
    Case("unknown-unsubscribe-comment", "get", "/comments/unsubscribe/{gone}/", 400,
         "This unsubscribe link is not valid."),
    # The site's search.
    Case("search-nul", "get", "/search/", 400, NUL_IN_ADDRESS, query=b"q=a%00b"),
    Case("search-too-long", "get", "/search/", 400, "Search for at most",
         query=b"q=" + b"a" * 201),
    Case("search-invalid-utf8", "get", "/search/", 200, "No posts match",
         query=b"q=%FF%FE"),
    Case("search-script", "get", "/search/", 200, "&lt;script&gt;",
         query=b"q=%3Cscript%3Ealert(1)%3C/script%3E"),
    Case("search-huge-page", "get", "/search/", 404, NOT_FOUND,
         query=f"q=ofsted&page={HUGE}".encode()),
    # The admin's search and paging, for the staff who use them.
    Case("admin-comment-search-script", "get", "/admin/comments/comment/", 200,
         "0 comments", query=b"q=%3Cscript%3Ealert(1)%3C/script%3E", who="moderator"),
    Case("admin-comment-search-nul", "get", "/admin/comments/comment/", 400,
         NUL_IN_ADDRESS, query=b"q=a%00b", who="moderator"),
    Case("admin-comment-search-invalid-utf8", "get", "/admin/comments/comment/", 200,
         "0 comments", query=b"q=%FF%FE", who="moderator"),
    Case("admin-comment-search-wildcards", "get", "/admin/comments/comment/", 200,
         "0 comments", query=b"q=%25_%5C%27%22", who="moderator"),
    Case("admin-comment-negative-page", "get", "/admin/comments/comment/", 200,
         "All comments", query=b"p=-1", who="moderator"),
    Case("admin-comment-text-page", "get", "/admin/comments/comment/", 200,
         "All comments", query=b"p=abc", who="moderator"),
    Case("admin-comment-huge-page", "get", "/admin/comments/comment/", 200,
         "All comments", query=f"p={HUGE}".encode(), who="moderator"),
    Case("admin-comment-bad-post-filter", "get", "/admin/comments/comment/", 200,
         "The post must be given by its id, a number.", query=b"post=abc",
         who="moderator"),
    Case("admin-comment-bad-status-filter", "get", "/admin/comments/comment/", 200,
         "0 comments", query=b"status=bogus", who="moderator"),
    Case("admin-comment-nul-status-filter", "get", "/admin/comments/comment/", 400,
         NUL_IN_ADDRESS, query=b"status=%00", who="moderator"),
    Case("admin-post-search-nul", "get", "/admin/blog/post/", 400, NUL_IN_ADDRESS,
         query=b"q=%00", who="editor"),
    Case("admin-post-search-invalid-utf8", "get", "/admin/blog/post/", 200, "0 posts",
         query=b"q=%C3%28&p=-5", who="editor"),
    # Ids no object has, in the admin's own URLs: a message, never a 500.
    Case("admin-post-negative-id", "get", "/admin/blog/post/-1/change/", 200,
         NO_SUCH_OBJECT, who="admin", follow=True),
    Case("admin-post-huge-id", "get", f"/admin/blog/post/{HUGE}/change/", 200,
         NO_SUCH_OBJECT, who="admin", follow=True),
    Case("admin-post-negative-id-delete", "post", "/admin/blog/post/-1/delete/", 200,
         NO_SUCH_OBJECT, {"post": "yes"}, who="admin", follow=True),
    Case("admin-comment-negative-id", "get", "/admin/comments/comment/-1/change/",
         200, NO_SUCH_OBJECT, who="admin", follow=True),
    Case("admin-user-negative-id", "get", "/admin/accounts/user/-1/change/", 200,
         NO_SUCH_OBJECT, who="admin", follow=True),
    Case("admin-thread-huge-post-id", "get",
         f"/admin/comments/comment/thread/{HUGE}/", 404, NOT_FOUND, who="admin"),
    # Signed links opened by a mail scanner (GET, HEAD): a page with a button,
    # nothing confirmed.
    Case("verify-email-get", "get", "/accounts/verify-email/{verify_token}/", 200,
         "Confirm my address"),
    Case("verify-email-head", "head", "/accounts/verify-email/{verify_token}/", 200,
         ""),
    Case("confirm-address-get", "get", "/comments/confirm-address/{confirm_token}/",
         200, "Confirm my address"),
    Case("confirm-address-forged", "post", "/comments/confirm-address/{token}/",
         400, "This confirmation link is not valid"),
    Case("unsubscribe-for-an-old-address", "post",
         "/comments/unsubscribe/{old_address_token}/", 400,
         "This unsubscribe link is not valid."),
    # Pictures Pillow refuses to read.
    *(
        Case(f"avatar-png-{chunk}-bomb", "post", "/accounts/profile/", 400,
             NOT_AN_IMAGE, PROFILE_DATA, who="member",
             avatar=chunk)
        for chunk in ("zTXt", "iCCP")
    ),
    # Names that pass as staff or hide characters.
    Case("comment-as-administrator", "post", COMMENT_URL, 400, STAFF_NAME,
         comment_data(author_name="Administrator"), comment_form=True),
    Case("comment-as-an-editor", "post", COMMENT_URL, 400, STAFF_NAME,
         comment_data(author_name="Еditor"), comment_form=True),
    Case("comment-name-right-to-left-override", "post", COMMENT_URL, 400, INVISIBLE,
         comment_data(author_name="Ada\u202eecalevol"), comment_form=True),
    Case("signup-name-zero-width", "post", "/accounts/signup/", 400, INVISIBLE,
         {**SIGNUP_DATA, "display_name": "Ada\u200bLovelace"}),
    Case("profile-as-staff", "post", "/accounts/profile/", 400, STAFF_NAME,
         {**PROFILE_DATA, "display_name": "moderator"}, who="member"),
    # A form body in another encoding than UTF-8, which Django refuses to read.
    *(
        Case(f"{charset}-{name}", "post", url, 400, NOT_UTF8, data, who=who,
             charset=charset)
        for name, url, data, who in FORMS_IN_UTF8
        for charset in ("utf-16", "latin-1")
    ),
]  # fmt: skip


def send(client, case, site):
    values = {
        "post": site["post"].slug,
        "comment": site["comment"],
        "held": site["held"],
        "token": site["token"],
        "gone": signing.dumps(
            {"comment": 10**9, "email": "gone@example.org"}, salt=UNSUBSCRIBE_SALT
        ),
        "member_uid": site["member_uid"],
        "verify_token": site["verify_token"],
        "confirm_token": site["confirm_token"],
        "old_address_token": site["old_address_token"],
    }
    url = case.url.format(**values)
    data = {
        key: [item.format(**values) for item in value]
        if isinstance(value, list)
        else value.format(**values)
        for key, value in case.data.items()
    }
    if case.avatar:
        data["avatar"] = builders.png_bomb_upload(case.avatar)
    if case.comment_form:
        page = client.get(site["post"].get_absolute_url()).text
        data["timestamp"] = re.search(r'name="timestamp" value="([^"]+)"', page)[1]
    extra = {}
    if case.charset:
        client.get("/accounts/password/reset/")
        data["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
        # The test client encodes a str body in the declared charset.
        return client.post(
            url,
            urlencode({**data, "name": "Zoë"}),
            content_type=f"application/x-www-form-urlencoded; charset={case.charset}",
        )
    if case.query is not None:
        # WSGI hands the query string over as bytes decoded as Latin-1.
        extra["QUERY_STRING"] = case.query.decode("latin-1")
    if case.method in {"put", "delete"}:
        # Sent as a form would be; Django reads a form body only from a POST.
        return getattr(client, case.method)(
            url,
            urlencode(data, doseq=True),
            content_type="application/x-www-form-urlencoded",
            **extra,
        )
    return getattr(client, case.method)(url, data or None, follow=case.follow, **extra)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_request_gets_a_clear_answer_and_changes_nothing(case, site):
    client = Client(enforce_csrf_checks=case.csrf or bool(case.charset))
    if case.who != "guest":
        client.force_login(site["users"][case.who])
    before = database_state()

    response = send(client, case, site)

    assert response.status_code == case.status, response.content[:500]
    assert case.phrase in response.text
    assert database_state() == before


def test_every_comment_field_with_markup_is_shown_escaped(site):
    post = site["post"]
    builders.make_known_guest(post, email="known@example.org")
    author = Client()
    page = author.get(post.get_absolute_url()).text
    timestamp = re.search(r'name="timestamp" value="([^"]+)"', page)[1]
    author.post(
        f"/posts/{post.slug}/comments/",
        comment_data(
            author_name=SCRIPT,
            author_email="known@example.org",
            author_url='https://example.org/"><script>alert("x")</script>',
            body=f'{SCRIPT}\n<img src=x onerror="alert(1)">',
            timestamp=timestamp,
        ),
    )

    page = Client().get(post.get_absolute_url()).text

    assert Comment.objects.filter(author_name=SCRIPT, status="approved").exists()
    assert SCRIPT not in page
    assert "<img src=x" not in page
    assert page.count(ESCAPED_SCRIPT) >= 2  # the name and the body
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page


def test_markup_in_a_held_comment_is_escaped_for_its_author(site):
    post = site["post"]
    author = Client()
    page = author.get(post.get_absolute_url()).text
    timestamp = re.search(r'name="timestamp" value="([^"]+)"', page)[1]
    author.post(
        f"/posts/{post.slug}/comments/",
        comment_data(author_name=SCRIPT, body=SCRIPT, timestamp=timestamp),
    )

    page = author.get(post.get_absolute_url()).text

    assert "Your comment is awaiting moderation." in page
    assert SCRIPT not in page
    assert page.count(ESCAPED_SCRIPT) >= 2


def test_markup_in_a_rejected_comment_is_escaped_when_the_form_comes_back(site):
    post = site["post"]
    client = Client()
    page = client.get(post.get_absolute_url()).text
    timestamp = re.search(r'name="timestamp" value="([^"]+)"', page)[1]

    response = client.post(
        f"/posts/{post.slug}/comments/",
        comment_data(author_name=SCRIPT, author_url=SCRIPT, body=SCRIPT)
        | {"timestamp": timestamp},
    )

    assert response.status_code == 400
    assert BAD_URL in response.text
    assert SCRIPT not in response.text
    assert ESCAPED_SCRIPT in response.text


def test_markup_in_profile_fields_is_shown_escaped(site, client):
    client.force_login(site["users"]["member"])
    client.post(
        "/accounts/profile/",
        {"display_name": SCRIPT, "website": "https://example.org/", "bio": SCRIPT},
    )

    profile = Client().get("/accounts/people/member/").text
    own_page = client.get("/").text

    assert User.objects.get(username="member").display_name == SCRIPT
    assert SCRIPT not in profile
    assert profile.count(ESCAPED_SCRIPT) >= 2  # the heading and the bio
    assert SCRIPT not in own_page
    assert ESCAPED_SCRIPT in own_page  # the name in the header


def test_markup_in_signup_and_login_fields_comes_back_escaped(site, client):
    signup = client.post(
        "/accounts/signup/", {**SIGNUP_DATA, "username": SCRIPT, "email": SCRIPT}
    )
    login = client.post("/accounts/login/", {"username": SCRIPT, "password": "x"})

    for response in (signup, login):
        assert response.status_code == 400
        assert SCRIPT not in response.text
        assert "&lt;script&gt;" in response.text
    assert not User.objects.filter(username=SCRIPT).exists()


def test_rate_limited_comment_is_given_back_escaped(site, settings):
    settings.COMMENTS_RATE_LIMIT_PER_MINUTE = 0
    client = Client()
    page = client.get(site["post"].get_absolute_url()).text
    timestamp = re.search(r'name="timestamp" value="([^"]+)"', page)[1]

    response = client.post(
        "/posts/open-post/comments/", comment_data(body=SCRIPT, timestamp=timestamp)
    )

    assert response.status_code == 429
    assert "Your comment has not been posted" in response.text
    assert SCRIPT not in response.text
    assert ESCAPED_SCRIPT in response.text


@pytest.mark.parametrize("target", ["javascript:alert(1)", "//evil.example/"])
def test_signup_never_redirects_to_a_next_url_off_the_site(site, client, target):
    response = client.post(
        "/accounts/signup/?next=" + target, {**SIGNUP_DATA, "next": target}
    )

    assert response.status_code == 302
    assert response["Location"] == "/"
