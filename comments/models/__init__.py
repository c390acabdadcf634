from .audit import ModerationActionKind, ModerationEvent
from .authors import ConfirmedAddress, TrustedAuthor
from .bans import Ban, BanQuerySet
from .comment import (
    Comment,
    CommentKind,
    CommentQuerySet,
    CommentRemoval,
    CommentStatus,
    ModerationReason,
)
from .discussion import Discussion, DiscussionQuerySet
from .revisions import CommentRevision
from .rules import CategoryRules
from .subscriptions import Subscription, SubscriptionQuerySet, ThreadMail
from .words import ModerationWord, ModerationWordAction

__all__ = [
    "Ban",
    "BanQuerySet",
    "CategoryRules",
    "Comment",
    "CommentKind",
    "CommentQuerySet",
    "CommentRemoval",
    "CommentRevision",
    "CommentStatus",
    "ConfirmedAddress",
    "Discussion",
    "DiscussionQuerySet",
    "ModerationActionKind",
    "ModerationEvent",
    "ModerationReason",
    "ModerationWord",
    "ModerationWordAction",
    "Subscription",
    "SubscriptionQuerySet",
    "ThreadMail",
    "TrustedAuthor",
]
