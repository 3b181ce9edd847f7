"""The sample sheets for trying the import, made up and seeded: `python -m setu.imports.samples.generate`.

Nobody in them is real. The messy ones carry the errors NGO registers really have (docs/imports.md): dates
in Bikram Sambat and AD mixed in one column, impossible dates (30 February, BS month 13), ages written as
text ("15 yrs", "fifteen", "about 16", "१५ वर्ष", "not known"), misspelt districts, blank mandatory cells,
the same row entered twice, a Nepali-name column typed in the Preeti font in the older rows, and columns
Setu has no field for. `--clean` makes a sheet with none of them (the benchmark imports 50,000 such rows).

    python -m setu.imports.samples.generate                      # the shipped samples, in this folder
    python -m setu.imports.samples.generate --clean --rows 50000 --kind missing_reports --out big.csv
    python -m setu.imports.samples.generate --clean --rows 2000 --kind cases --out cases.csv
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import random
from collections.abc import Callable
from pathlib import Path

from setu.core.text import devanagari_to_latin

HERE = Path(__file__).resolve().parent
GAZETTEER = HERE.parent.parent / "geo" / "data" / "gazetteer.json"

# Consonant-vowel syllables for a clean sheet's middle names (Maker._middle): 31 consonants, 7 vowels.
SYLLABLES = [c + v for c in "कखगघचछजझटठडढणतथदधनपफबभमयरलवशषसह" for v in ("ा", "ि", "ी", "ु", "े", "ो", "")]

# (Latin, Devanagari, as typed in the Preeti font): names whose Preeti spelling is plain letter-for-letter.
GIVEN = [
    ("Sita", "सीता", ";Ltf"), ("Gita", "गीता", "uLtf"), ("Maya", "माया", "dfof"), ("Sarita", "सरिता", ";l/tf"),
    ("Kamala", "कमला", "sdnf"), ("Sunita", "सुनिता", ";'lgtf"), ("Bimala", "बिमला", "ladnf"),
    ("Anita", "अनिता", "clgtf"), ("Rita", "रिता", "l/tf"), ("Puja", "पुजा", "k'hf"), ("Mina", "मिना", "ldgf"),
    ("Radha", "राधा", "/fwf"),
]  # fmt: skip
FAMILY = [
    ("Thapa", "थापा", "yfkf"), ("Magar", "मगर", "du/"), ("Rai", "राई", "/fO{"), ("Lama", "लामा", "nfdf"),
    ("Tamang", "तामाङ", "tfdfª"), ("Dahal", "दाहाल", "bfxfn"), ("Pariyar", "परियार", "k/lof/"),
]  # fmt: skip
FATHERS = ["Ram Bahadur", "Hari", "Krishna", "Dil Bahadur", "Man Bahadur", "Shyam", "Bir Bahadur"]
RELATIONS = ["mother", "Mother", "father", "sibling", "other_relative", "neighbour"]
SOURCE_DISTRICTS = ["Sindhupalchok", "Makawanpur", "Nuwakot", "Dhading", "Morang", "Sunsari", "Jhapa", "Parsa",
                    "Rupandehi", "Banke", "Kailali", "Chitwan", "Dang"]  # fmt: skip
MISSPELT = {"Sindhupalchok": "Sindupalchok", "Makawanpur": "Makwanpurr", "Nuwakot": "Nuwakote", "Dhading": "Dhadhing",
            "Morang": "Moranng", "Sunsari": "Sunsary", "Jhapa": "Jhappa", "Kailali": "Kailaly"}  # fmt: skip
STATIONS = ["Birgunj", "Belahiya", "Kakarbhitta", "Jamunaha", "Rani", "Gaddachauki", "Krishnanagar"]
DESTINATIONS = ["Delhi", "Mumbai", "Kolkata", "Pune", "Bengaluru", "Surat"]
AGE_WORDS = {14: "fourteen", 15: "fifteen", 16: "sixteen", 17: "seventeen", 18: "eighteen", 19: "nineteen",
             20: "twenty"}  # fmt: skip
MOBILE = ["984", "985", "986", "980", "981", "982"]  # Nepal Telecom and Ncell mobile prefixes
TO_DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")


def _bs(day: dt.date) -> str:
    """The date in Bikram Sambat, by the same maintained tables as setu.core.dates."""
    import nepali.datetime as nepali_dt

    bs = nepali_dt.nepalidate.from_date(day)
    return f"{bs.year:04d}-{bs.month:02d}-{bs.day:02d}"


def _districts() -> list[str]:
    names = {d["name_en"] for d in json.loads(GAZETTEER.read_text(encoding="utf-8"))["districts"]}
    return [d for d in SOURCE_DISTRICTS if d in names]


class Maker:
    def __init__(self, seed: int, *, messy: bool, today: dt.date) -> None:
        self.rng, self.messy, self.today = random.Random(seed), messy, today  # noqa: S311 - made-up data, seeded
        self.districts = _districts()
        self.middles: set[str] = set()

    def chance(self, p: float) -> bool:
        return self.messy and self.rng.random() < p

    def person(self, n: int) -> dict[str, str]:
        given, family = self.rng.choice(GIVEN), self.rng.choice(FAMILY)
        middle = "" if self.messy else self._middle()
        suffix = f" {devanagari_to_latin(middle).capitalize()}" if middle else ""
        suffix_ne = f" {middle}" if middle else ""
        preeti = f"{given[2]} {family[2]}"
        old_row = self.messy and n < 40  # the register's first rows were typed before Unicode, in Preeti
        age = self.rng.choice([14, 15, 15, 16, 16, 17, 18, 19, 20, 22, 24])
        return {
            "name": f"{given[0]}{suffix} {family[0]}",
            "name_ne": preeti if old_row and self.rng.random() < 0.7 else f"{given[1]}{suffix_ne} {family[1]}",
            "sex": "" if self.chance(0.03) else self.rng.choice(["F", "F", "Female", "female", "F"]),
            "age": self.age(age),
            "district": self.district(),
            "phone": f"{self.rng.choice(MOBILE)}{self.rng.randrange(10**6, 10**7)}" if self.rng.random() < 0.4 else "",
        }

    def _middle(self) -> str:
        """A clean sheet's girls all differ (a register of 50,000 different girls): a middle name per row, three
        syllables drawn at random and never twice, in Devanagari; the Latin name carries its romanisation. The
        matcher weighs a first given name, a family name, the age and the district far above a middle name, so
        with this few names it still finds most rows like a few earlier ones (a register of one community
        would give it the same work); the dry run names the three most probable."""
        while True:
            word = "".join(self.rng.choice(SYLLABLES) for _ in range(3))
            if word not in self.middles:
                self.middles.add(word)
                return word

    def age(self, years: int) -> str:
        if not self.messy:
            return str(years)
        roll = self.rng.random()
        if roll < 0.06:
            return f"{years} yrs"
        if roll < 0.10 and years in AGE_WORDS:
            return AGE_WORDS[years]
        if roll < 0.13:
            return f"about {years}"
        if roll < 0.16:
            return f"{str(years).translate(TO_DEVANAGARI)} वर्ष"
        if roll < 0.18:
            return "not known"
        return str(years)

    def district(self) -> str:
        name = self.rng.choice(self.districts)
        if self.chance(0.06) and name in MISSPELT:
            return MISSPELT[name]
        return name

    def date(self, day: dt.date) -> str:
        """Half the register in BS, half in AD, as offices switched; a few impossible dates in a messy one."""
        if self.chance(0.02):
            return self.rng.choice([f"{day.year}-02-30", "2081-13-05", f"{day.day:02d}/{day.month:02d}/{day.year}x"])
        if self.rng.random() < 0.5:
            return _bs(day)
        return day.isoformat()

    def day(self) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randrange(30, 3 * 365))


MISSING_HEADER = ["S.N.", "Name", "Naam (Nepali)", "Sex", "Age", "Home district", "Last seen (date)", "Last seen place",
                  "Father's name", "Reported by", "Relation", "Phone", "Remarks"]  # fmt: skip
MISSING_EXTRA = ["Caste", "Entered by"]  # no field in Setu: the import asks what to do with them
INTERCEPTION_HEADER = ["S.N.", "Date", "Time", "Border point", "Name", "Name (Nepali)", "Sex", "Age",
                       "Home district", "Destination", "Remarks", "Staff"]  # fmt: skip
INTERCEPTION_EXTRA = ["Vehicle no."]


Sheet = tuple[list[str], list[list[object]]]


def _sheet(rows: int, seed: int, *, messy: bool, today: dt.date, header: list[str], extra: list[str],
           row_of: Callable[[Maker, int], list[object]]) -> Sheet:  # fmt: skip
    """`rows` rows made by `row_of` (with the `extra` columns' cells in a messy sheet); a messy sheet also has a
    few rows entered twice and each kind of error at least once (MUST_HAVE)."""
    maker = Maker(seed, messy=messy, today=today)
    header = header + (extra if messy else [])
    out: list[list[object]] = []
    for n in range(rows):
        if messy and out and maker.rng.random() < 0.03:
            out.append(list(out[-1]))  # entered twice
            continue
        out.append(row_of(maker, n))
    if messy:
        _must_have(header, out)
    return header, out


def missing_reports(rows: int, seed: int, *, messy: bool, today: dt.date) -> Sheet:
    def row_of(maker: Maker, n: int) -> list[object]:
        p, seen = maker.person(n), maker.day()
        family = p["name"].split()[-1]
        reporter = "" if maker.chance(0.03) else f"{maker.rng.choice(FATHERS)} {family}"
        relation = maker.rng.choice(RELATIONS) if not maker.chance(0.03) else "aama"
        row: list[object] = [n + 1, p["name"], p["name_ne"], p["sex"], p["age"], p["district"], maker.date(seen),
                             maker.rng.choice(["bus park", "home", "school", "bazaar", ""]),
                             f"{maker.rng.choice(FATHERS)} {family}", reporter, relation, p["phone"],
                             "" if maker.rng.random() < 0.7 else "went for work, phone off"]  # fmt: skip
        if maker.messy:
            row += [maker.rng.choice(["", "Janajati", "Dalit"]), maker.rng.choice(["RS", "BK", "SM"])]
        return row

    return _sheet(rows, seed, messy=messy, today=today, header=MISSING_HEADER, extra=MISSING_EXTRA, row_of=row_of)


def interceptions(rows: int, seed: int, *, messy: bool, today: dt.date) -> Sheet:
    def row_of(maker: Maker, n: int) -> list[object]:
        p, day = maker.person(n), maker.day()
        station = maker.rng.choice(STATIONS)
        if maker.chance(0.03):
            station = station.replace("gunj", "ganj").replace("bhitta", "vitta") + "a"
        when: object = maker.date(day)
        if maker.messy and maker.rng.random() < 0.3:
            when = dt.datetime.combine(day, dt.time(0))  # a real date cell in the workbook
        row: list[object] = [n + 1, when, f"{maker.rng.randrange(6, 20):02d}:{maker.rng.choice(['00', '15', '30'])}",
                             "" if maker.chance(0.02) else station, p["name"], p["name_ne"], p["sex"], p["age"],
                             p["district"], maker.rng.choice(DESTINATIONS),
                             "" if maker.rng.random() < 0.6 else "travelling with a man she met online",
                             maker.rng.choice(["Sabina", "Rojina", "Kiran"])]  # fmt: skip
        if maker.messy:
            row.append(f"Na {maker.rng.randrange(1, 9)} Kha {maker.rng.randrange(1000, 9999)}")
        return row

    return _sheet(rows, seed, messy=messy, today=today, header=INTERCEPTION_HEADER, extra=INTERCEPTION_EXTRA,
                  row_of=row_of)  # fmt: skip


CASE_HEADER = ["S.N.", "Rescue date", "Case district", "Name", "Name (Nepali)", "Sex", "Age", "Home district",
               "Phone", "Destination country", "Recruitment place", "Summary"]  # fmt: skip
CASE_EXTRA = ["File no."]
CASE_DISTRICTS = ["Morang", "Sunsari", "Jhapa", "Parsa", "Banke", "Kathmandu"]  # where the transit homes are
SUMMARIES = ["Intercepted at the border with a man who had promised her a job; brought to the transit home.",
             "Rescued from a dance bar in Kathmandu in a police raid.",
             "Returned from Delhi through the embassy after two years of domestic work without pay.",
             "Came to the home herself after escaping a brick kiln across the border."]  # fmt: skip


def cases(rows: int, seed: int, *, messy: bool, today: dt.date) -> Sheet:
    """A transit home's case register: each row a survivor the home took in, and where she had been taken."""

    def row_of(maker: Maker, n: int) -> list[object]:
        p, day = maker.person(n), maker.day()
        abroad = maker.rng.random() < 0.7
        country = ("India" if maker.chance(0.05) else "IN") if abroad else ""
        row: list[object] = [n + 1, maker.date(day), maker.rng.choice(CASE_DISTRICTS), p["name"], p["name_ne"],
                             p["sex"], p["age"], p["district"], p["phone"], country,
                             maker.rng.choice(["", "her village", "Gongabu bus park", "a friend's wedding"]),
                             maker.rng.choice(SUMMARIES)]  # fmt: skip
        if maker.messy:
            row.append(f"TH/{day.year}/{n + 1:04d}")
        return row

    return _sheet(rows, seed, messy=messy, today=today, header=CASE_HEADER, extra=CASE_EXTRA, row_of=row_of)


# Each kind of error at least once, whatever the dice gave: (row index, column, value).
MUST_HAVE = [(4, "Age", "not known"), (8, "Sex", ""), (12, "Home district", "Sindupalchok"),
             (16, "Reported by", ""), (20, "Last seen (date)", "2081-13-05"), (24, "Date", "2024-02-30"),
             (28, "Border point", ""), (32, "Border point", "Birganja"), (36, "Relation", "aama"),
             (22, "Rescue date", "2024-02-30"), (26, "Destination country", "India")]  # fmt: skip


def _must_have(header: list[str], rows: list[list[object]]) -> None:
    for index, column, value in MUST_HAVE:
        if column in header and index < len(rows):
            rows[index][header.index(column)] = value


MAKERS = {"missing_reports": missing_reports, "interceptions": interceptions, "cases": cases}


def write(path: Path, header: list[str], rows: list[list[object]]) -> None:
    if path.suffix == ".xlsx":
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("Register")
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        book.save(path)
        return
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[c.date().isoformat() if isinstance(c, dt.datetime) else c for c in row] for row in rows])
    path.write_text(out.getvalue(), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kind", choices=sorted(MAKERS))
    parser.add_argument("--rows", type=int, default=120)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--clean", action="store_true")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--today", default="2026-12-01", help="the day the sheet is made (ISO)")
    args = parser.parse_args(argv)
    today = dt.date.fromisoformat(args.today)
    if args.kind and args.out:
        header, rows = MAKERS[args.kind](args.rows, args.seed, messy=not args.clean, today=today)
        write(args.out, header, rows)
        return 0
    # The shipped samples (the same seed and day always give the same files).
    shipped = (("missing_reports", "missing_reports_messy.csv"), ("interceptions", "interceptions_messy.xlsx"),
               ("cases", "cases_messy.csv"))  # fmt: skip
    for kind, name in shipped:
        header, rows = MAKERS[kind](args.rows, args.seed, messy=True, today=today)
        write(HERE / name, header, rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
