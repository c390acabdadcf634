from accounts.roles import Role

# Everything needed to write and publish, nothing more. Not the accounts: a
# post's author is picked from the staff by the post form (blog.forms).
EDITOR = Role(
    name="editor",
    group_name="Editors",
    permissions=tuple(
        f"{app}.{action}_{model}"
        for app, model in [
            ("blog", "post"),
            ("blog", "page"),
            ("blog", "menuitem"),
            ("blog", "oldaddress"),
            ("blog", "category"),
            ("blog", "publication"),
            ("taggit", "tag"),
        ]
        for action in ("add", "change", "delete", "view")
    ),
    app_label="blog",
)
