from axes.utils import reset as login_failures_forget
from django.db import transaction
from django.db.models import ProtectedError

from . import roles
from .models import User


class AccountNotDeletable(Exception):
    pass


@transaction.atomic
def user_sign_up(*, username, email, password, display_name=""):
    """
    Create a commenter's account, its address not yet confirmed. The caller
    mails the link (accounts.verification) once the account is committed, so
    that a failure to send it does not undo the sign-up.
    """
    user = User(username=username, email=email, display_name=display_name)
    user.set_password(password)
    user.save()
    return user


def user_email_verify(*, user):
    if not user.is_email_verified:
        user.is_email_verified = True
        user.save(update_fields=["is_email_verified"])


def profile_update(*, user, avatar=None, remove_avatar=False):
    """
    Save a profile form's changes already set on `user`, with a new avatar
    (an accounts.avatars.Avatar) or none; the files replaced are deleted.
    """
    old_files = [user.avatar, user.avatar_small] if (avatar or remove_avatar) else []
    old_names = [file.name for file in old_files if file]
    if avatar:
        user.avatar.save(avatar.large.name, avatar.large, save=False)
        user.avatar_small.save(avatar.small.name, avatar.small, save=False)
    elif remove_avatar:
        user.avatar = user.avatar_small = ""
    user.save()
    for name in old_names:
        user.avatar.storage.delete(name)


def user_delete(*, user):
    """
    Delete an account and its avatar files. Comments stay, anonymised by the
    comments app; an account that still authors posts cannot go.
    """
    avatar_names = [file.name for file in (user.avatar, user.avatar_small) if file]
    storage = user.avatar.storage
    try:
        with transaction.atomic():
            user.delete()
    except ProtectedError:
        raise AccountNotDeletable(
            "Your account is the author of posts on this site, so it cannot be "
            "deleted here. Ask an editor to reassign the posts or to close the "
            "account for you."
        ) from None
    for name in avatar_names:
        storage.delete(name)
    # Failed logins are counted under the username (accounts.backends), or
    # under the lower-cased address if it was tried before it was this
    # account's. A blank name would make axes forget everyone's.
    for name in {user.username, user.email.lower()} - {""}:
        login_failures_forget(username=name)


@transaction.atomic
def user_role_set(*, user, role, granted=True):
    """
    Add the person to a staff role's group (an accounts.roles.Role), or take
    them out of it; they may use the admin while they hold any staff role.
    """
    if granted:
        user.groups.add(role.group())
    else:
        user.groups.remove(role.group())
    user.is_staff = (
        user.is_superuser
        or user.groups.filter(name__in=roles.staff_group_names()).exists()
    )
    user.save(update_fields=["is_staff"])
