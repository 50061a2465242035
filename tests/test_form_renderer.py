"""The Python-rendered widgets give the same markup as Django's templates."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from cchc.form_renderer import FastRenderer


class Sample(forms.Form):
    text = forms.CharField(
        initial='a "quoted" <b>value</b> & more',
        widget=forms.TextInput(attrs={"placeholder": "Ví dụ: Quý II/2019", "autofocus": True}),
    )
    number = forms.IntegerField(initial=1234567, min_value=0)
    hidden = forms.CharField(initial="x=1&y=2", widget=forms.HiddenInput)
    search = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "search"}))
    date = forms.DateField(initial="2019-01-15", widget=forms.DateInput(format="%d/%m/%Y"))
    choice = forms.ChoiceField(
        choices=[("", "— Tất cả —"), ("a", "Đã hoàn thành <đúng hạn>"), ("b", "B & C")], initial="a"
    )
    grouped = forms.ChoiceField(choices=[("Nhóm 1", [("1", "Một"), ("2", "Hai")]), ("3", "Ba")], initial="2")
    multiple = forms.MultipleChoiceField(choices=[("1", "Một"), ("2", "Hai")], initial=["1", "2"])
    area = forms.CharField(initial="Dòng 1\n<Dòng 2>", widget=forms.Textarea(attrs={"rows": 3}))
    empty_area = forms.CharField(required=False, widget=forms.Textarea)


def normalise(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("name", list(Sample.base_fields))
def test_python_widgets_match_djangos_templates(name):
    fast = Sample(renderer=FastRenderer())[name].as_widget()
    slow = Sample(renderer=DjangoTemplates())[name].as_widget()
    assert normalise(fast) == normalise(slow)


def test_bound_values_and_errors_render_the_same():
    data = {"text": "<script>", "number": "abc", "choice": "b", "area": "x"}
    fast = Sample(data, renderer=FastRenderer())
    slow = Sample(data, renderer=DjangoTemplates())
    for name in ("text", "number", "choice", "area"):
        assert normalise(fast[name].as_widget()) == normalise(slow[name].as_widget())
    assert "&lt;script&gt;" in fast["text"].as_widget()
