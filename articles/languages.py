"""The story languages the product knows, and the direction each is written in."""

# BCP 47 primary language subtags the database accepts for Article.language. The setting
# NEWSROOM_LANGUAGES picks which of these a newsroom offers; the database constraint uses this
# fixed list so that changing the setting never needs a migration.
KNOWN_LANGUAGES: dict[str, str] = {
    "ar": "العربية",
    "en": "English",
    "ur": "اردو",
    "fa": "فارسی",
    "fr": "Français",
    "tr": "Türkçe",
    "ru": "Русский",
    "es": "Español",
    "de": "Deutsch",
    "he": "עברית",
    "ps": "پښتو",
    "ku": "Kurdî",
    "ckb": "کوردی",
    "sd": "سنڌي",
    "dv": "ދިވެހި",
    "yi": "ייִדיש",
    "hi": "हिन्दी",
    "bn": "বাংলা",
    "id": "Bahasa Indonesia",
    "ms": "Bahasa Melayu",
    "zh": "中文",
    "ja": "日本語",
    "it": "Italiano",
    "pt": "Português",
    "sw": "Kiswahili",
    "ha": "Hausa",
    "so": "Soomaali",
    "am": "አማርኛ",
}

RTL_LANGUAGES = frozenset({"ar", "ur", "fa", "he", "ps", "ckb", "sd", "dv", "yi"})


def direction(language: str) -> str:
    """'rtl' or 'ltr' for a BCP 47 tag such as 'ar' or 'ar-EG'."""
    primary = (language or "").split("-")[0].lower()
    return "rtl" if primary in RTL_LANGUAGES else "ltr"
