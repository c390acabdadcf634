import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["admin:index", "admin:login"])
def test_admin_pages_carry_the_sites_name(client, admin_user, settings, page):
    if page == "admin:index":
        client.force_login(admin_user)

    html = client.get(reverse(page)).text

    assert "Django administration" not in html
    assert "Django site admin" not in html
    assert f"{settings.BLOG_SITE_NAME} admin</title>" in html
    assert f'<a href="/admin/">{settings.BLOG_SITE_NAME}</a>' in html
