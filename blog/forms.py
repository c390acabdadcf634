from django import forms
from django.db.models import Q


class PostAdminForm(forms.ModelForm):
    """
    The admin's post form. The author is chosen from the active staff, so
    that editors need no permission to see the accounts, which would show
    them every commenter's email address. A post keeps its author after they
    leave the staff, so that it can still be saved as it is. PostAdmin
    gives it its model and fields.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        authors = Q(is_active=True, is_staff=True)
        if self.instance.author_id is not None:
            authors |= Q(pk=self.instance.author_id)
        field = self.fields["author"]
        field.queryset = field.queryset.filter(authors)
