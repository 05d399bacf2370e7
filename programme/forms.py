"""The programme page's filters: a date range of fieldwork, unpublished inspections, the one to highlight."""

from __future__ import annotations

import datetime

from django import forms


class DateParts(forms.MultiValueField):
    """A GOV.UK date input: day, month and year boxes, each optional only together."""

    widget = forms.MultiWidget(widgets=[forms.TextInput(), forms.TextInput(), forms.TextInput()])

    def __init__(self, **kwargs):
        fields = [forms.CharField(required=False) for _ in range(3)]
        super().__init__(fields=fields, require_all_fields=False, required=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(part.strip() for part in data_list):
            return None
        day, month, year = (part.strip() for part in data_list)
        if not (day and month and year):
            raise forms.ValidationError(f"{self.label} must include a day, month and year")
        if not (day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4):
            raise forms.ValidationError(f"{self.label} must be a real date, like 27 3 2007")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"{self.label} must be a real date") from None


class ProgrammeFilterForm(forms.Form):
    fieldwork_from = DateParts(label="Fieldwork from")
    fieldwork_to = DateParts(label="Fieldwork to")
    include_unpublished = forms.BooleanField(required=False, label="Include finalised inspections not yet published")
    inspection = forms.CharField(required=False, label="Highlight an inspection")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("fieldwork_from"), cleaned.get("fieldwork_to")
        if start and end and end < start:
            self.add_error("fieldwork_to", "Fieldwork to must be the same as or after fieldwork from")
        return cleaned
