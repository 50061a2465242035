"""Form fields shared by the apps."""

from django import forms


class LoadedChoiceField(forms.ChoiceField):
    """A choice among model objects the view has already loaded.

    ModelChoiceField runs its query again each time it renders; the list pages show the same
    departments in two forms, so they are read once and handed to each field (`load`)."""

    def __init__(self, *, empty_label: str, label_from=str, **kwargs):
        super().__init__(choices=[("", empty_label)], **kwargs)
        self.empty_label, self.label_from, self.objects = empty_label, label_from, {}

    def load(self, objects) -> None:
        self.objects = {str(item.pk): item for item in objects}
        self.choices = [
            ("", self.empty_label),
            *((key, self.label_from(item)) for key, item in self.objects.items()),
        ]

    def clean(self, value):
        key = super().clean(value)
        return self.objects.get(key) if key else None
