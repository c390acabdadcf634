from accounts.roles import Role

# Everything needed to write and publish, nothing more; editors pick a post's
# author from the list of accounts.
EDITOR = Role(
    name="editor",
    group_name="Editors",
    permissions=(
        *(
            f"{app}.{action}_{model}"
            for app, model in [
                ("blog", "post"),
                ("blog", "category"),
                ("blog", "publication"),
                ("taggit", "tag"),
            ]
            for action in ("add", "change", "delete", "view")
        ),
        "accounts.view_user",
    ),
    app_label="blog",
)
