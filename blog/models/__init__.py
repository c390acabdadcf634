from .filing import Category, Publication
from .navigation import MenuItem
from .pages import Page
from .posts import DISCUSSION, Post, PostQuerySet
from .redirects import OldAddress

__all__ = [
    "DISCUSSION",
    "Category",
    "MenuItem",
    "OldAddress",
    "Page",
    "Post",
    "PostQuerySet",
    "Publication",
]
