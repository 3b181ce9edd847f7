"""Blocking: which pairs are compared at all. Pure: no Django.

Comparing every missing-person report with every person on a node is neither possible at a million
records nor useful: a pair is compared when the two records share a blocking key under at least one rule.
Each rule names features whose values, put together, make the key; a record with any of them blank has
no key under that rule. The rules are chosen so that a true pair with the usual noise (a misspelt name, a
nickname, another family name, names in another order, no address) still shares one key:

- `given_family`: given and family name (after spelling variants);
- `given_district`: given name and home district (the family name written another way or left out);
- `family_father`: family name and father's name (a nickname instead of her name);
- `phone`: the family's phone number;
- `sounds`: given and family name as they sound, in either order (misspellings in both; names swapped);
- `given_father`: given name and father's name as they sound (another family name);
- `birth_day`: the birth date, when the day is known (both names written differently);
- `home_ward`: local level and ward (a small place: names written differently, no date).

The same keys are the interactive matcher's index (setu.tracing.models.BlockKey): one key row per rule a
person has, looked up by equality, so one record finds its candidates among a million in a few index
lookups. Keys shared by too many records are left out by the batch engines and the index alike
(`MAX_BLOCK`): they would be compared with everyone and find nobody.
"""

from __future__ import annotations

from dataclasses import dataclass

from setu.tracing.linkage.features import Features

# A key shared by more records than this (on the bigger side) is not used: it is a name like "Maya Rai"
# with no other detail, and the other rules still pair the records that have more to say.
MAX_BLOCK = 5000


@dataclass(frozen=True)
class Rule:
    name: str
    columns: tuple[str, ...]
    unordered: bool = False  # the key is the same whatever order the values come in

    def sql(self, alias: str) -> str:
        """The key as a SQL expression over one side's feature columns (NULL when a column is NULL)."""
        parts = [f"{alias}.{c}" for c in self.columns]
        if self.unordered and len(parts) == 2:
            parts = [f"least({parts[0]}, {parts[1]})", f"greatest({parts[0]}, {parts[1]})"]
        return " || '~' || ".join(parts)

    def key(self, features: Features) -> str | None:
        values = [getattr(features, c) for c in self.columns]
        if any(v is None or v == "" for v in values):
            return None
        text = [str(v) for v in values]
        if self.unordered:
            text.sort()
        return f"{self.name}:" + "~".join(text)


RULES: tuple[Rule, ...] = (
    Rule("given_family", ("given", "family")),
    Rule("given_district", ("given", "district")),
    Rule("family_father", ("family", "father")),
    Rule("phone", ("phone",)),
    Rule("sounds", ("given_key", "family_key"), unordered=True),
    Rule("given_father", ("given_key", "father_key")),
    Rule("birth_day", ("birth_day",)),
    Rule("home_ward", ("local_level", "ward")),
)
RULE_NAMES = tuple(rule.name for rule in RULES)


def keys(features: Features) -> list[str]:
    """Every blocking key of one record (the interactive index stores these)."""
    return [key for rule in RULES if (key := rule.key(features))]
