from .authors import ConfirmedAddress, TrustedAuthor
from .comment import Comment, CommentQuerySet, CommentStatus, ModerationReason
from .discussion import Discussion, DiscussionQuerySet

__all__ = [
    "Comment",
    "CommentQuerySet",
    "CommentStatus",
    "ConfirmedAddress",
    "Discussion",
    "DiscussionQuerySet",
    "ModerationReason",
    "TrustedAuthor",
]
