from .authors import ConfirmedAddress, TrustedAuthor
from .comment import (
    Comment,
    CommentKind,
    CommentQuerySet,
    CommentStatus,
    ModerationReason,
)
from .discussion import Discussion, DiscussionQuerySet

__all__ = [
    "Comment",
    "CommentKind",
    "CommentQuerySet",
    "CommentStatus",
    "ConfirmedAddress",
    "Discussion",
    "DiscussionQuerySet",
    "ModerationReason",
    "TrustedAuthor",
]
