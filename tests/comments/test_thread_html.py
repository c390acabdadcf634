"""The thread's markup helpers, against what Django itself would write."""

import datetime
import zoneinfo

import pytest
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import escape

from comments.local_dates import LocalDates
from comments.thread_html import fill
from tests.builders import make_comment

LONDON = zoneinfo.ZoneInfo("Europe/London")
TIMES = [
    datetime.datetime(2016, 1, 28, 0, 0, tzinfo=LONDON),  # midnight
    datetime.datetime(2016, 1, 28, 12, 0, tzinfo=LONDON),  # noon
    datetime.datetime(2016, 1, 28, 9, 5, 59, tzinfo=LONDON),
    datetime.datetime(2016, 7, 3, 23, 59, tzinfo=LONDON),  # summer time
    datetime.datetime(2024, 2, 29, 13, 30, tzinfo=LONDON),
]


# en-gb is the site's; de, fr and ja put the date and time together as their
# DATE_FORMAT and TIME_FORMAT; ar and bs do not, and are formatted whole.
@pytest.mark.parametrize("language", ["en-gb", "en", "de", "fr", "ja", "ar", "bs"])
def test_thread_dates_read_as_djangos_datetime_format(language):
    with translation.override(language):
        dates = LocalDates()

        for value in TIMES * 2:  # the second time from what was kept
            assert dates.format(value) == escape(date_format(value, "DATETIME_FORMAT"))


@pytest.mark.django_db
def test_thread_dates_are_in_the_sites_format(client, settings):
    comment = make_comment()
    local = comment.created_at.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))

    page = client.get(comment.post.get_absolute_url()).text

    assert f">{escape(date_format(local, 'DATETIME_FORMAT'))}</time>" in page


def test_fill_escapes_text_and_keeps_html_given_as_safe():
    html = fill(
        '<a href="{url}" title="{title}">{name}</a>{count}',
        safe={"name": "<b>Ada</b>"},
        url="/?a=1&b=2",
        title='"quoted" <tag>',
        count=3,
    )

    assert html == (
        '<a href="/?a=1&amp;b=2" title="&quot;quoted&quot; &lt;tag&gt;"><b>Ada</b></a>3'
    )
