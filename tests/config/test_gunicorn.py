"""
gunicorn as config/gunicorn.conf.py sets it up, serving production settings on
a free loopback port: which requests the site takes to have come over HTTPS.
The SSL redirect is what shows it: a request taken for plain HTTP is sent to
https://, one taken for HTTPS is answered.
"""

import http.client

import pytest

from bench.load import HOST, gunicorn_server
from tests.config.test_settings import PRODUCTION, manage, operator_environment

# What a client sends to pass as secure when gunicorn believes it (gunicorn's
# default secure_scheme_headers).
FORWARDED_SCHEME_HEADERS = [
    ("X-Forwarded-Proto", "https"),
    ("X-Forwarded-Ssl", "on"),
    ("X-Forwarded-Protocol", "ssl"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    env = {**PRODUCTION, "DJANGO_VAR_DIR": str(tmp_path_factory.mktemp("gunicorn"))}
    result = manage("migrate", "--noinput", env=env)
    assert result.returncode == 0, result.stderr
    return env


@pytest.fixture(scope="module")
def server_without_proxy(site):
    env = operator_environment({**site, "DJANGO_SECURE_PROXY_SSL_HEADER": "false"})
    with gunicorn_server(workers=1, env=env) as port:
        yield port


@pytest.fixture(scope="module")
def server_behind_proxy(site):
    env = operator_environment({**site, "DJANGO_SECURE_PROXY_SSL_HEADER": "true"})
    with gunicorn_server(workers=1, env=env) as port:
        yield port


def get_feed(port, headers=None):
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request(
            "GET", "/feed/", headers={"Host": "blog.example.org", **(headers or {})}
        )
        response = connection.getresponse()
        response.read()
        return response
    finally:
        connection.close()


@pytest.mark.parametrize(("header", "value"), FORWARDED_SCHEME_HEADERS)
def test_without_a_tls_proxy_a_forwarded_header_does_not_pass_as_https(
    server_without_proxy, header, value
):
    response = get_feed(server_without_proxy, {header: value})

    assert response.status == 301
    assert response.getheader("Location") == "https://blog.example.org/feed/"
    assert response.getheader("Strict-Transport-Security") is None


def test_behind_a_tls_proxy_its_forwarded_proto_header_passes_as_https(
    server_behind_proxy,
):
    response = get_feed(server_behind_proxy, {"X-Forwarded-Proto": "https"})

    assert response.status == 200
    assert response.getheader("Strict-Transport-Security") == "max-age=31536000"


def test_behind_a_tls_proxy_a_plain_request_is_still_redirected(server_behind_proxy):
    response = get_feed(server_behind_proxy)

    assert response.status == 301
    assert response.getheader("Location") == "https://blog.example.org/feed/"


@pytest.mark.parametrize(("header", "value"), FORWARDED_SCHEME_HEADERS[1:])
def test_behind_a_tls_proxy_only_the_header_django_reads_is_believed(
    server_behind_proxy, header, value
):
    # The proxy sets X-Forwarded-Proto; these others could be the client's.
    response = get_feed(server_behind_proxy, {header: value})

    assert response.status == 301
