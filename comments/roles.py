from accounts.roles import Role

# The moderation queue and the thread view, nothing more. Moderators change a
# comment's status and may correct its text; they cannot add comments through
# the admin, delete them (removing keeps the thread's shape) or touch posts.
MODERATOR = Role(
    name="moderator",
    group_name="Moderators",
    permissions=("comments.view_comment", "comments.change_comment"),
    app_label="comments",
)
