"""The names a dateline is read against: news agencies, desk words and places."""

import re

from articles.text import match_key

from .dates import GREGORIAN_MONTHS

# Spellings of agencies and broadcasters as they stand in Arabic datelines and credits.
# Compared through name_key(), so hamza, dots and spacing variants need no entry of their own.
# fmt: off
AGENCIES = (
    # international
    "رويترز", "Reuters",
    "أ ف ب", "فرانس برس", "وكالة فرانس برس", "فرانس بريس", "AFP",
    "أ ب", "أسوشيتد برس", "اسوشيتدبرس", "AP",
    "د ب أ", "DPA", "Deutsche Presse-Agentur",
    "يو بي آي", "UPI", "يونايتد برس إنترناشونال", "United Press International",
    "شينخوا", "Xinhua",
    "سبوتنيك", "Sputnik",
    "نوفوستي", "ريا نوفوستي", "RIA Novosti",
    "تاس", "إيتار تاس", "TASS",
    "الأناضول", "أناضول", "وكالة الأناضول", "Anadolu", "Anadolu Agency", "AA",
    "إفي", "EFE", "آكي", "AKI", "أنسا", "ANSA", "كيودو", "Kyodo", "يونهاب", "Yonhap",
    "CNN", "سي إن إن", "BBC", "بي بي سي",
    # national agencies of the Arab world and the region
    "واس", "SPA",  # Saudi Arabia
    "كونا", "KUNA", "وكالة الأنباء الكويتية",  # Kuwait
    "قنا", "QNA", "وكالة الأنباء القطرية",  # Qatar
    "وام", "WAM", "وكالة أنباء الإمارات",  # United Arab Emirates
    "بنا", "BNA", "وكالة أنباء البحرين",  # Bahrain
    "العمانية", "ONA", "وكالة الأنباء العمانية",  # Oman
    "وات", "TAP",  # Tunisia
    "و م ع", "MAP",  # Morocco
    "واج", "APS",  # Algeria
    "أ ش أ", "MENA", "وكالة أنباء الشرق الأوسط",  # Egypt
    "بترا", "Petra", "وكالة الأنباء الأردنية",  # Jordan
    "سانا", "SANA", "الوكالة العربية السورية للأنباء",  # Syria
    "وفا", "WAFA",  # Palestine
    "سبأ", "Saba",  # Yemen
    "سونا", "SUNA",  # Sudan
    "إرنا", "IRNA", "فارس", "تسنيم", "مهر",  # Iran
    # Saudi news sites that credit themselves in the dateline
    "سبق",
)

# Words that stand where a place would, but name a desk or a kind of copy.
DESK_WORDS = ("متابعة", "خاص", "تقرير", "عاجل", "وكالات", "الوكالات", "ترجمة", "محليات", "دوليات")

# "كتب - فلان:" — the reporter's name follows.
BYLINE_WORDS = ("كتب", "كتبت", "بقلم", "إعداد")

# Places that help tell "place - reporter" from "reporter - place" when no agency is named.
PLACES = (
    # Saudi Arabia
    "الرياض", "جدة", "مكة المكرمة", "مكة", "المدينة المنورة", "المدينة", "الدمام", "الخبر", "الظهران",
    "الطائف", "أبها", "خميس مشيط", "بريدة", "عنيزة", "حائل", "تبوك", "جازان", "جيزان", "نجران", "الباحة",
    "الجوف", "سكاكا", "عرعر", "القصيم", "عسير", "الشرقية", "الأحساء", "القطيف", "الجبيل", "ينبع",
    "حفر الباطن", "الخرج", "المجمعة", "القريات", "رابغ", "الليث", "القنفذة", "بيشة", "شرورة", "الحدود الشمالية",
    # the Arab world
    "السعودية", "المملكة", "مصر", "القاهرة", "الإسكندرية", "العراق", "بغداد", "البصرة", "أربيل", "الموصل",
    "سوريا", "سورية", "دمشق", "حلب", "لبنان", "بيروت", "الأردن", "عمان", "فلسطين", "القدس", "غزة",
    "رام الله", "اليمن", "صنعاء", "عدن", "الكويت", "قطر", "الدوحة", "البحرين", "المنامة", "الإمارات",
    "أبوظبي", "أبو ظبي", "دبي", "الشارقة", "مسقط", "سلطنة عمان", "ليبيا", "طرابلس", "بنغازي", "تونس",
    "صفاقس", "سوسة", "الجزائر", "وهران", "المغرب", "الرباط", "الدار البيضاء", "السودان", "الخرطوم",
    "موريتانيا", "نواكشوط", "الصومال", "مقديشو", "جيبوتي",
    # the wider world
    "إيران", "طهران", "تركيا", "أنقرة", "إسطنبول", "اسطنبول", "باكستان", "إسلام آباد", "كراتشي",
    "أفغانستان", "كابول", "الهند", "نيودلهي", "الصين", "بكين", "اليابان", "طوكيو", "روسيا", "موسكو",
    "أوكرانيا", "كييف", "الولايات المتحدة", "أمريكا", "أميركا", "واشنطن", "نيويورك", "بريطانيا", "لندن",
    "فرنسا", "باريس", "ألمانيا", "برلين", "إيطاليا", "روما", "إسبانيا", "مدريد", "بلجيكا", "بروكسل",
    "سويسرا", "جنيف", "النمسا", "فيينا", "اليونان", "أثينا", "كندا", "أوتاوا", "أستراليا", "سيدني",
    "البرازيل", "إندونيسيا", "جاكرتا", "ماليزيا", "كوالالمبور", "الفلبين", "مانيلا", "نيجيريا",
    "إثيوبيا", "أديس أبابا", "كينيا", "نيروبي", "جنوب أفريقيا",
    "عواصم", "عواصم العالم", "عواصم عالمية",
)
# fmt: on

_PUNCT = re.compile(r"[\s.·'\"«»“”„‘’()\[\]-]+")


def name_key(name: str) -> str:
    """Fold a name for lookup: normalised, without dots, quotes, brackets and spaces ("أ.ف.ب" = "ا ف ب")."""
    return _PUNCT.sub("", match_key(name))


def _keys(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(name_key(n) for n in names)


_AGENCY_KEYS = _keys(AGENCIES)
_DESK_KEYS = _keys(DESK_WORDS)
_BYLINE_KEYS = _keys(BYLINE_WORDS)
_PLACE_KEYS = _keys(PLACES)


def is_agency(name: str) -> bool:
    """A known agency; never a month name, though "آب" (August) folds to the key of "أ ب" (AP)."""
    return bool(name) and name_key(name) in _AGENCY_KEYS and match_key(name) not in GREGORIAN_MONTHS


def is_desk_word(name: str) -> bool:
    return name_key(name) in _DESK_KEYS


def is_byline_word(name: str) -> bool:
    return name_key(name) in _BYLINE_KEYS


def is_place(name: str) -> bool:
    """A known place, also when followed by a country in brackets or after a comma ("طرابلس (ليبيا)")."""
    head = re.split(r"[(،,]", name, maxsplit=1)[0]
    return name_key(head) in _PLACE_KEYS or name_key(name) in _PLACE_KEYS
