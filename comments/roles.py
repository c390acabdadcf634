from accounts.roles import Role

# The moderation queue, the thread view and the audit log, nothing more.
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
    ),
    app_label="comments",
)
