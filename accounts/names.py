"""
Rules for the names people give themselves: usernames, display names, and
the names guests sign comments with.

- No invisible characters: bidi controls (which reorder the text around
  them) and zero-width characters (which hide inside a name that looks like
  another) are refused, as are other control and format characters.
- No passing as staff: a name that reads as a staff member's, or as
  "Administrator" and the like, is refused to everyone but that staff
  member, ignoring case, accents, spacing, punctuation, and Cyrillic or
  Greek letters that look like Latin ones.
- A warning, not a refusal, where one name mixes letters of several scripts
  ("pаypal" with a Cyrillic "а"): such names are often look-alikes, but also
  honest (a Serbian username with a Latin surname), so moderators decide.
"""

import unicodedata

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

# Control (Cc) and format (Cf) characters: bidi controls such as U+202E and
# U+2066–U+2069, zero-width ones such as U+200B–U+200D and U+2060, and the
# byte-order mark.
INVISIBLE_CATEGORIES = {"Cc", "Cf"}
RESERVED_NAMES = {
    "admin", "administrator", "moderator", "editor", "staff", "root",
    "webmaster", "postmaster", "support", "system",
}  # fmt: skip
# Lower-case Cyrillic and Greek letters drawn like Latin ones.
LOOK_ALIKES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o",
    "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j",
    "ѕ": "s", "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w",
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
})  # fmt: skip
# Scripts that are written together in one language, counted as one.
SCRIPT_FAMILIES = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK"}


def validate_public_name(name, *, own_names=()):
    """
    A name the site shows (a display name, a guest's name, a username):
    nothing hidden in it, and no staff member's unless it is one of
    `own_names`.
    """
    validate_visible(name)
    validate_not_staff_name(
        name,
        staff_names=get_user_model().objects.staff_names(),
        own_names=own_names,
    )


def validate_visible(name):
    """Refuse a name holding characters that cannot be seen."""
    hidden = sorted({char for char in name if is_invisible(char)})
    if hidden:
        codes = ", ".join(f"U+{ord(char):04X}" for char in hidden)
        raise ValidationError(
            f"Remove the invisible characters ({codes}) from the name.",
            code="invisible_characters",
        )


def is_invisible(char):
    return unicodedata.category(char) in INVISIBLE_CATEGORIES


def skeleton(name):
    """What a name reads as: its letters and digits, plain and in lower case."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(char for char in decomposed if char.isalnum())
    return plain.translate(LOOK_ALIKES)


def validate_not_staff_name(name, *, staff_names, own_names=()):
    """
    Refuse a name that reads as one of `staff_names` or a reserved word,
    unless it reads as one of `own_names` (a staff member's own).
    """
    read_as = skeleton(name)
    if not read_as or read_as in {skeleton(own) for own in own_names}:
        return
    taken = RESERVED_NAMES | {skeleton(staff) for staff in staff_names}
    if read_as in taken:
        raise ValidationError(
            "This name is kept for the people who run this site; choose another.",
            code="staff_name",
        )


def scripts(name):
    """The writing systems of a name's letters, e.g. {"LATIN", "CYRILLIC"}."""
    found = set()
    for char in name:
        if char.isalpha():
            script = unicodedata.name(char, "UNKNOWN").split()[0]
            found.add(SCRIPT_FAMILIES.get(script, script))
    return found


def is_mixed_script(name):
    return len(scripts(name)) > 1
