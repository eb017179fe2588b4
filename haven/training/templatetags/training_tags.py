from django import template
from django.utils.translation import get_language

from haven.training.exports import study_title as _study_title
from haven.training.practice import ui_language

register = template.Library()


@register.filter
def study_title(slug: str) -> str:
    return _study_title(slug, ui_language(get_language() or "en"))
