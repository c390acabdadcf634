"""
The rules a post's comments follow: the site's COMMENTS_* settings, made
stricter or looser by the rules of the post's categories (CategoryRules).
A post in several categories follows the strictest of them: the earliest
close, the shallowest threads, and a hold if any category holds.

The post page asks for them on every view, so they are read from the cache:
every category's rules in one entry, raised by each change to them, and each
post's categories under the post's version, which its categories raise.
"""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from blog.navigation import version_changed, versioned

from .models import CategoryRules

VERSION_KEY = "comments:category-rules-version"
# How long another process may go on with rules a moderator has just changed,
# where the cache is each process's own (the default LocMemCache).
RULES_SECONDS = 300


@dataclass(frozen=True)
class DiscussionRules:
    close_after_days: int | None
    always_moderate: bool
    max_depth: int

    @classmethod
    def site(cls):
        return cls(
            close_after_days=settings.COMMENTS_CLOSE_AFTER_DAYS,
            always_moderate=False,
            max_depth=settings.COMMENTS_MAX_DEPTH,
        )

    def stricter(self, other):
        """The strictest of these rules and `other`'s, for a post in two categories."""
        days = [d for d in (self.close_after_days, other.close_after_days) if d]
        return DiscussionRules(
            close_after_days=min(days) if days else None,
            always_moderate=self.always_moderate or other.always_moderate,
            max_depth=min(self.max_depth, other.max_depth),
        )

    def layered(self, category_rules):
        """These rules with a category's own in place of those it sets."""
        close_after_days, always_moderate, max_depth = category_rules
        return DiscussionRules(
            close_after_days=close_after_days
            if close_after_days is not None
            else self.close_after_days,
            always_moderate=always_moderate,
            max_depth=max_depth or self.max_depth,
        )


def rules_for(post):
    """The rules the post's comments follow; no query once cached."""
    site = DiscussionRules.site()
    by_category = versioned(VERSION_KEY, "comments:category-rules", all_category_rules)
    if not by_category:
        return site
    category_ids = cache.get_or_set(
        post.cache_key("category-ids"),
        lambda: list(post.categories.values_list("pk", flat=True)),
        RULES_SECONDS,
    )
    own = [site.layered(by_category[pk]) for pk in category_ids if pk in by_category]
    if not own:
        return site
    return functools.reduce(DiscussionRules.stricter, own)


def all_category_rules():
    """Every category's rules, by category id: a few rows at most."""
    return {
        rules.pk: (rules.close_after_days, rules.always_moderate, rules.max_depth)
        for rules in CategoryRules.objects.all()
    }


def category_rules_changed():
    """A category's rules changed: every process reads them anew."""
    transaction.on_commit(lambda: version_changed(VERSION_KEY))
