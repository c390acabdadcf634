import pytest
from django.urls import reverse
from django.utils.timezone import localtime
from taggit.models import Tag

from accounts.models import User
from blog.models import Category, Post, Publication

pytestmark = pytest.mark.django_db


def archive_urls():
    """Every archive page the seed content implies, with the posts it should list."""
    posts = Post.objects.all()
    pages = {}
    for category in Category.objects.all():
        pages[category.get_absolute_url()] = posts.filter(categories=category)
    for tag in Tag.objects.all():
        url = reverse("blog:tag-archive", args=[tag.slug])
        pages[url] = posts.filter(tags=tag)
    for author in User.objects.filter(posts__isnull=False).distinct():
        url = reverse("blog:author-archive", args=[author.username])
        pages[url] = posts.filter(author=author)
    for publication in Publication.objects.all():
        pages[publication.get_absolute_url()] = posts.filter(
            first_appeared_in=publication
        )
    for post in posts:
        date = localtime(post.published_at)
        for url in (
            reverse("blog:archive-year", args=[date.year]),
            reverse("blog:archive-month", args=[date.year, date.month]),
        ):
            pages.setdefault(url, Post.objects.none())
            pages[url] = pages[url] | posts.filter(pk=post.pk)
    return pages


def test_home_page_lists_every_seed_post(seed, client):
    response = client.get(reverse("blog:post-list"))

    assert response.status_code == 200
    assert [post.title for post in response.context["posts"]] == list(
        Post.objects.order_by("-published_at").values_list("title", flat=True)
    )
    assert len(response.context["posts"]) == 9


def test_every_seed_post_page_renders(seed, client):
    for post in Post.objects.all():
        response = client.get(post.get_absolute_url())

        assert response.status_code == 200, post.title
        assert response.context["post"] == post


def test_every_archive_the_seed_implies_lists_its_posts(seed, client):
    pages = archive_urls()
    assert len(pages) == 22  # 7 by subject, 6 years, 9 months

    for url, expected in pages.items():
        response = client.get(url)

        assert response.status_code == 200, url
        assert {p.pk for p in response.context["posts"]} == {p.pk for p in expected}


def test_category_archive_keeps_the_source_archive_order(seed, client):
    response = client.get(reverse("blog:category-archive", args=["articles"]))

    assert [post.title for post in response.context["posts"]] == [
        "“Long ago life was clean.”",
        "This intervention is about rehabilitation",
        "Facing up to the post Paris challenges",
    ]
    assert "Mark Rogers articles published elsewhere." in response.content.decode()


def test_tag_archive_lists_the_tagged_posts_newest_first(seed, client):
    response = client.get(reverse("blog:tag-archive", args=["childrens-services"]))

    assert [post.title for post in response.context["posts"]] == [
        "Inspiration, and getting things done",
        "Digitisation, and the Children’s Services Ofsted",
        "Conducting a Peer Challenge in Gloucestershire",
        "Meeting with Staffordshire MPs, and continuing the success of Building "
        "Resilient Families and Communities",
        "Improving children’s services",
    ]
