from django import forms
from django.contrib.auth import get_user_model


class TokenForm(forms.Form):
    name = forms.CharField(
        label="What is the token for?",
        help_text="For example, the name of the system that will use it.",
        max_length=100,
        error_messages={"required": "Enter what the token is for", "max_length": "Enter 100 characters or fewer"},
    )


class TokenForUserForm(TokenForm):
    username = forms.CharField(
        label="Username of the person the token acts for",
        max_length=150,
        error_messages={"required": "Enter the username of the person the token acts for"},
    )
    field_order = ["username", "name"]

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        owner = get_user_model().objects.filter(username=username).first()
        if owner is None:
            raise forms.ValidationError(f"There is no user called ‘{username}’")
        if not owner.is_active:
            raise forms.ValidationError(f"{username} cannot sign in, so cannot have a token")
        return owner
