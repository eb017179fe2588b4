"""Languages people speak (ISO 639-1), for organisations' working languages and focal points.

A curated list of the languages met in counter-trafficking work in Haven's partner regions,
with their names in their own script; Django translates nothing here on purpose, because a
language is best recognised by its own name.
"""

from __future__ import annotations

SPOKEN_LANGUAGES: dict[str, str] = {
    "ar": "العربية",
    "bn": "বাংলা",
    "de": "Deutsch",
    "el": "Ελληνικά",
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "hi": "हिन्दी",
    "id": "Bahasa Indonesia",
    "km": "ខ្មែរ",
    "ko": "한국어",
    "lo": "ລາວ",
    "mn": "Монгол",
    "my": "မြန်မာ",
    "ne": "नेपाली",
    "nl": "Nederlands",
    "pt": "Português",
    "ro": "Română",
    "ru": "Русский",
    "th": "ไทย",
    "tl": "Tagalog",
    "tr": "Türkçe",
    "uk": "Українська",
    "ur": "اردو",
    "vi": "Tiếng Việt",
    "zh": "中文",
}

LANGUAGE_CHOICES: list[tuple[str, str]] = sorted(SPOKEN_LANGUAGES.items())


def language_name(code: str) -> str:
    return SPOKEN_LANGUAGES.get(code, code)
