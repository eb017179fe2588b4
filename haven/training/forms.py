from __future__ import annotations

from typing import Any

import yaml
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import User
from haven.accounts.roles import Role
from haven.screening.forms import INTERVIEWEE_LANGUAGE_CHOICES
from haven.screening.models import Screening
from haven.screening.rules import LANGUAGES, OUTCOMES, default_catalogue
from haven.training.library import (
    FLAG_CODES,
    NEXT_STEPS,
    CaseStudyError,
    parse_case_study,
)
from haven.training.registry import all_case_studies

LANGUAGE_NAMES = dict(settings.LANGUAGES)


class StartAttemptForm(forms.Form):
    """The profile inputs of a screening: the trainee decides them from the case, as in the
    field. The labels are those of the real screening form."""

    age = forms.IntegerField(
        label=_("Age in years"),
        required=False,
        min_value=0,
        max_value=130,
        help_text=_("Leave empty if the age is not known."),
    )
    may_be_child = forms.BooleanField(
        label=_("There are reasons to believe the person may be a child"),
        required=False,
        help_text=_("A person of unknown age who may be a child is treated as a child."),
    )
    exploitation = forms.ChoiceField(
        label=_("Suspected type of exploitation"), choices=Screening.Exploitation.choices
    )
    met_in_custody = forms.BooleanField(
        label=_("The person was met in custody, detention or an immigration procedure"),
        required=False,
    )


class TraineeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.username} · {obj.organisation.name} ({obj.organisation.country})"


class WorkshopForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=200)
    language = forms.ChoiceField(label=_("Language of the workshop"), choices=settings.LANGUAGES)
    participants = TraineeChoiceField(
        label=_("Participants"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Trainees of any organisation and country."),
    )
    case_studies = forms.MultipleChoiceField(
        label=_("Case studies"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, lang: str = "en", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        participants = self.fields["participants"]
        assert isinstance(participants, forms.ModelMultipleChoiceField)
        participants.queryset = (
            User.objects.filter(role_grants__role=Role.TRAINEE, is_active=True)
            .select_related("organisation")
            .distinct()
            .order_by("organisation__country", "organisation__name", "username")
        )
        studies = self.fields["case_studies"]
        assert isinstance(studies, forms.MultipleChoiceField)
        studies.choices = [
            (s.slug, s.title.get(lang) or s.title.get("en") or s.slug) for s in all_case_studies()
        ]


def _lines(mapping: dict[str, str]) -> str:
    return "\n".join(f"{key}: {value}" for key, value in mapping.items())


def _parse_lines(text: str, field: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        key, sep, value = line.partition(":")
        if not sep or not key.strip() or not value.strip():
            raise forms.ValidationError(
                _("Line %(n)s: write it as ID: text."), params={"n": n}, code=field
            )
        found[key.strip()] = value.strip()
    return found


class CaseStudyForm(forms.Form):
    """A case study in the structure of the files, one field per part and language."""

    id = forms.SlugField(
        label=_("Identifier"),
        max_length=64,
        help_text=_("Lower-case letters, digits and hyphens, for example 13-port-fishing-crew."),
    )
    country = forms.CharField(label=_("Country code"), max_length=2, min_length=2)
    topics = forms.CharField(label=_("Topics"), required=False, help_text=_("Separated by commas."))
    interviewee_language = forms.ChoiceField(
        label=_("Language of the person interviewed"), choices=INTERVIEWEE_LANGUAGE_CHOICES
    )
    transcript = forms.CharField(
        label=_("Transcript"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "class": "code"}),
        help_text=_(
            "YAML, as in the case-study files: a list of lines, each with question, text "
            "(in the interviewee's language), translations and evidences."
        ),
    )
    age = forms.IntegerField(
        label=_("Age in years"),
        required=False,
        min_value=0,
        max_value=130,
        help_text=_("Leave empty if the age is not known."),
    )
    may_be_child = forms.BooleanField(
        label=_("There are reasons to believe the person may be a child"), required=False
    )
    exploitation = forms.ChoiceField(
        label=_("Suspected type of exploitation"), choices=Screening.Exploitation.choices
    )
    met_in_custody = forms.BooleanField(
        label=_("The person was met in custody, detention or an immigration procedure"),
        required=False,
    )
    answers = forms.CharField(
        label=_("Answers of the key"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "class": "code"}),
        help_text=_("One per line, such as DR-1: yes. Items not listed are unknown."),
    )
    outcome = forms.ChoiceField(label=_("Expected outcome"), choices=[(o, o) for o in OUTCOMES])
    flags = forms.MultipleChoiceField(
        label=_("Expected flags"),
        choices=[(f, f) for f in FLAG_CODES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    next_steps = forms.MultipleChoiceField(
        label=_("Right next steps"),
        choices=list(NEXT_STEPS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, lang: str = "en", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        catalogue = default_catalogue()
        outcome = self.fields["outcome"]
        assert isinstance(outcome, forms.ChoiceField)
        outcome.choices = [(o, catalogue.text(f"label.outcome.{o}", lang)) for o in OUTCOMES]
        flags = self.fields["flags"]
        assert isinstance(flags, forms.MultipleChoiceField)
        flags.choices = [(f, f"{f}: {catalogue.text(f'flag.{f}', lang)}") for f in FLAG_CODES]
        for language in LANGUAGES:
            name = LANGUAGE_NAMES.get(language, language)
            self.fields[f"title_{language}"] = forms.CharField(
                label=_("Title (%(language)s)") % {"language": name},
                required=False,
                max_length=200,
            )
            self.fields[f"story_{language}"] = forms.CharField(
                label=_("Story (%(language)s)") % {"language": name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
            )
            self.fields[f"justifications_{language}"] = forms.CharField(
                label=_("Justifications (%(language)s)") % {"language": name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text=_("One per indicator answered yes, such as DR-1: why."),
            )
            self.fields[f"learning_points_{language}"] = forms.CharField(
                label=_("Learning points (%(language)s)") % {"language": name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("One per line."),
            )

    def language_fields(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (
                str(LANGUAGE_NAMES.get(lang, lang)),
                [
                    self[f"{part}_{lang}"]
                    for part in ("title", "story", "justifications", "learning_points")
                ],
            )
            for lang in LANGUAGES
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            data = self.to_data(cleaned)
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None
        try:
            parse_case_study(data, source=str(_("this case study")), complete=False)
        except CaseStudyError as exc:
            raise forms.ValidationError(
                _("%(field)s: %(message)s"), params={"field": exc.field, "message": exc.message}
            ) from None
        cleaned["data"] = data
        return cleaned

    @staticmethod
    def to_data(cleaned: dict[str, Any]) -> dict[str, Any]:
        try:
            transcript = yaml.safe_load(cleaned.get("transcript") or "") or []
        except yaml.YAMLError as exc:
            raise forms.ValidationError(
                _("The transcript is not valid YAML: %(error)s"), params={"error": str(exc)}
            ) from None
        answers = _parse_lines(cleaned.get("answers") or "", "answers")
        justifications: dict[str, dict[str, str]] = {}
        points: list[dict[str, str]] = []
        for lang in LANGUAGES:
            for item_id, text in _parse_lines(
                cleaned.get(f"justifications_{lang}") or "", "justifications"
            ).items():
                justifications.setdefault(item_id, {})[lang] = text
            for n, text in enumerate(
                line.strip()
                for line in (cleaned.get(f"learning_points_{lang}") or "").splitlines()
                if line.strip()
            ):
                while len(points) <= n:
                    points.append({})
                points[n][lang] = text
        return {
            "id": cleaned["id"],
            "title": {lang: cleaned.get(f"title_{lang}") or "" for lang in LANGUAGES},
            "country": (cleaned.get("country") or "").upper(),
            "topics": [t.strip() for t in (cleaned.get("topics") or "").split(",") if t.strip()],
            "interviewee_language": cleaned["interviewee_language"],
            "story": {lang: cleaned.get(f"story_{lang}") or "" for lang in LANGUAGES},
            "transcript": transcript,
            "engine_input": {
                "age": cleaned.get("age"),
                "may_be_child": bool(cleaned.get("may_be_child")),
                "exploitation": cleaned["exploitation"],
                "met_in_custody": bool(cleaned.get("met_in_custody")),
                "answers": answers,
            },
            "key": {
                "indicators": justifications,
                "outcome": cleaned["outcome"],
                "flags": list(cleaned.get("flags") or []),
                "next_steps": list(cleaned.get("next_steps") or []),
                "learning_points": points,
            },
        }

    @staticmethod
    def initial_from(data: dict[str, Any]) -> dict[str, Any]:
        engine = data.get("engine_input", {})
        key = data.get("key", {})
        initial: dict[str, Any] = {
            "id": data.get("id", ""),
            "country": data.get("country", ""),
            "topics": ", ".join(data.get("topics", [])),
            "interviewee_language": data.get("interviewee_language", "en"),
            "transcript": yaml.safe_dump(
                data.get("transcript", []), allow_unicode=True, sort_keys=False
            )
            if data.get("transcript")
            else "",
            "age": engine.get("age"),
            "may_be_child": engine.get("may_be_child", False),
            "exploitation": engine.get("exploitation", "labour"),
            "met_in_custody": engine.get("met_in_custody", False),
            "answers": _lines(engine.get("answers", {})),
            "outcome": key.get("outcome", "no_indication"),
            "flags": key.get("flags", []),
            "next_steps": key.get("next_steps", []),
        }
        for lang in LANGUAGES:
            initial[f"title_{lang}"] = data.get("title", {}).get(lang, "")
            initial[f"story_{lang}"] = data.get("story", {}).get(lang, "")
            initial[f"justifications_{lang}"] = _lines(
                {i: texts[lang] for i, texts in key.get("indicators", {}).items() if lang in texts}
            )
            initial[f"learning_points_{lang}"] = "\n".join(
                p[lang] for p in key.get("learning_points", []) if lang in p
            )
        return initial
