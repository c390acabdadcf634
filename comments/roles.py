from accounts.roles import Role

# The moderation queue, the thread view, the audit log, the word lists and
# bans.
# Moderators change a comment's status and may correct its text; they cannot
# add comments through the admin, delete them (removing keeps the thread's
# shape), rewrite the log, delete a ban (they lift it), or touch posts.
MODERATOR = Role(
    name="moderator",
    group_name="Moderators",
    permissions=(
        "comments.view_comment",
        "comments.change_comment",
        "comments.view_moderationevent",
        "comments.view_moderationword",
        "comments.add_moderationword",
        "comments.change_moderationword",
        "comments.delete_moderationword",
        "comments.view_ban",
        "comments.add_ban",
        "comments.change_ban",
    ),
    app_label="comments",
)
