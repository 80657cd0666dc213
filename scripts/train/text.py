"""Small English helpers for the corpus generator."""

from lexicon import PLURALS


def a_an(word):
    return "an" if word[:1].lower() in "aeiou" else "a"


def cap(text):
    return text[:1].upper() + text[1:]


def plural(noun, count=2):
    if count == 1:
        return noun
    return PLURALS.get(noun) or (noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s")


def join_list(items):
    items = list(items)
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]
