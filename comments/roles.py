from accounts.roles import Role

# The moderation queue, the thread view, the audit log and the word lists.
# Moderators change a comment's status and may correct its text; they cannot
# add comments through the admin, delete them (removing keeps the thread's
# shape), rewrite the log, or touch posts.
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
    ),
    app_label="comments",
)
