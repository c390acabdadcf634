from django import template

from .. import navigation

register = template.Library()


@register.simple_tag
def site_menu():
    """The header menu, as an editor arranged it."""
    return navigation.menu_html()


@register.simple_tag
def blog_footer_navigation():
    """Recent posts, categories, the monthly archive, tags and feeds."""
    return navigation.footer_html()
