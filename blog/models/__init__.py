from .filing import Category, Publication
from .navigation import MenuItem
from .pages import Page
from .posts import DISCUSSION, Post, PostQuerySet

__all__ = [
    "DISCUSSION",
    "Category",
    "MenuItem",
    "Page",
    "Post",
    "PostQuerySet",
    "Publication",
]
