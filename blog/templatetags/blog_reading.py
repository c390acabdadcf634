import math

from django import template

register = template.Library()

# About how many words of non-fiction an adult reads silently in a minute
# (Brysbaert, 2019, measured 238).
WORDS_PER_MINUTE = 230


@register.filter
def reading_time(word_count):
    """'6 min read' for 1,200 words: whole minutes, rounded up, at least one."""
    minutes = max(1, math.ceil((word_count or 0) / WORDS_PER_MINUTE))
    return f"{minutes} min read"
