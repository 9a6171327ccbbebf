"""Equipment of bookable spaces: one vocabulary, named in Chinese and in English.

``Space.equipment`` stores a list of names. The building's standard items have a fixed entry
below: the stored name is the Chinese one (what the demo and the first years of data hold, and
what the API has always answered), the English label is what English readers see. A manager may
type a standard item in either language ("Projector", "projector", "投影仪"): the space service
stores the Chinese name, so searches and filters find it whichever language it was typed in.
An item outside the vocabulary (something new a manager adds) is stored and shown as typed, in
both languages, until it gets a line here.
"""

from collections.abc import Iterable

# (stored name, English label); the stored name never changes: the API answers with it.
VOCABULARY: tuple[tuple[str, str], ...] = (
    ("电视屏", "TV screen"),
    ("白板", "Whiteboard"),
    ("投影仪", "Projector"),
    ("视频会议", "Video conferencing"),
    ("茶歇服务", "Tea-break service"),
    ("LED大屏", "LED wall"),
    ("音响", "Sound system"),
    ("无线麦克风", "Wireless microphones"),
    ("直播设备", "Live-streaming kit"),
    ("讲台", "Lectern"),
    ("展架", "Display stands"),
    ("电源", "Power supply"),
    ("电源插座", "Power sockets"),
)
ENGLISH = dict(VOCABULARY)
# Either name, compared without case and surrounding spaces, to the stored name.
_ALIASES = {key.casefold(): name for name, english in VOCABULARY for key in (name, english)}


def stored_name(item: str) -> str:
    """The name an item is stored under: the vocabulary's Chinese name, else the item as typed."""
    text = item.strip()
    return _ALIASES.get(text.casefold(), text)


def english_name(item: str) -> str:
    """The item's English label; an item outside the vocabulary as typed."""
    return ENGLISH.get(item, item)


def equipment_label(item: str, locale: str) -> str:
    """The item's name in the reader's language."""
    return english_name(item) if locale.startswith("en") else item


def equipment_labels(items: Iterable[str], locale: str) -> list[str]:
    """Each item's name in the reader's language, in the given order."""
    return [equipment_label(item, locale) for item in items]
