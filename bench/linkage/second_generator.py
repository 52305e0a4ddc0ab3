#!/usr/bin/env python3
"""A second, held-out generator of synthetic named lists for benchmarking `recount link`.

Why it exists: `recount simulate lists` (src/linkage/simulate*.cpp) is the generator recount is
developed and tuned on, so good figures on its lists may only say that the matcher has learnt
that generator's noise. This script makes lists with other noise, written independently of the
matcher and of recount's generator: its own name tables and frequencies (a Zipf-like head and a
long tail of rare composed surnames), other transliteration systems (ISO 9 with diacritics, GOST
7.79 system B, BGN/PCGN, French and German renderings, ICAO-style passport spelling with
Cyrillic letters left in), Cyrillic/Latin homoglyph mixes, keyboard-neighbour typos, swapped
given name and surname, dropped patronymics, birth dates as dd.mm.yyyy, yyyy or a year derived
from the age (one year either way), missing regions and in-list duplicates.

IT IS A TEST SET: DO NOT TUNE RECOUNT ON IT. Do not change recount's lexicon, defaults or
blocking to raise the figures this generator gives; change this script only to make its lists
more realistic, never to make recount look better, and say so in the commit.

Every person is invented: names are drawn at random from small tables written below, dates and
regions at random. Nothing here describes a real person.

Usage: second_generator.py --people N --seed S --out DIR
Writes DIR/list_<name>.csv, DIR/link.toml (automatic settings, no blocking rules) and
DIR/truth.csv (list,id,person). Python 3 standard library only.
"""

import argparse
import csv
import itertools
import math
import os
import random
import sys

# --- Name tables (this script's own; frequencies are Zipf-like by rank, not census figures) ---

# Common surnames, most frequent first (masculine form).
SURNAMES_HEAD = (
    "Кузнецов Смирнов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов Волков "
    "Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров "
    "Никитин Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов Воробьёв Сергеев "
    "Кузьмин Фролов Александров Дмитриев Королёв Гусев Киселёв Ильин Максимов Поляков "
    "Сорокин Виноградов Ковалёв Белов Медведев Антонов Тарасов Жуков Баранов Филиппов "
    "Комаров Давыдов Беляев Герасимов Богданов Осипов Сидоров Матвеев Титов Марков Миронов "
    "Крылов Куликов Карпов Власов Мельников Денисов Гаврилов Тихонов Казаков Афанасьев "
    "Данилов Савельев Тимофеев Фомин Чернов Абрамов Мартынов Ефимов Федотов Щербаков Назаров "
    "Калинин Исаев Чернышёв Быков Маслов Родионов Коновалов Лазарев Воронин Климов Филатов "
    "Пономарёв Голубев Кудрявцев Прохоров Наумов Потапов Журавлёв Овчинников Трофимов "
    "Леонов Соболев Ермаков Колесников Гончаров Емельянов Никифоров Грачёв Котов Гришин "
    "Ефремов Архипов Громов Кириллов Малышев Панов Моисеев Румянцев Акимов Кондратьев Бирюков "
    "Горбунов Анисимов Ерёмин Тихомиров Галкин Лукьянов Михеев Скворцов Юдин Белоусов "
    "Нестеров Симонов Прокофьев Харитонов Князев Цветков Левин Митрофанов Воронов Аксёнов "
    "Софронов Мальцев Логинов Горшков Савин Краснов Майоров Демидов Елисеев Рыбаков Сафонов "
    "Плотников Демин Хохлов Фадеев Молчанов Игнатов Литвинов Ершов Ушаков Дементьев Рябов "
    "Мухин Калашников Леонтьев Лобанов Кузин Корнилов Евдокимов Бородин Платонов Некрасов "
    "Балашов Бобров Жданов Блинов Игнатьев Коротков Муравьёв Крюков Беляков Богомолов "
    "Дроздов Лавров Зуев Петухов Ларин Никулин Серов Терентьев Зотов Устинов Фокин Самойлов "
    "Константинов Сахаров Шишкин Самсонов Черкасов Чистяков Носов Спиридонов Карасёв "
    "Авдеев Воронцов Зверев Владимиров Селезнёв Нечаев Кудрявцев Седов Фирсов Андрианов "
    "Панин Головин Терехов Ульянов Шестаков Агеев Никонов Селиванов Баженов Гордеев "
    "Кожевников Пахомов Зимин Костин Широков Филимонов Ларионов Овсянников Сазонов Суворов "
    "Нефёдов Корнеев Трифонов Хабибуллин Шевченко Бондаренко Коваленко Ткаченко Кравченко "
    "Мельниченко Литвиненко Савченко Руденко Марченко Павленко Ковальчук Бондарчук Мартынюк "
    "Полищук Лысенко Гайдамак Сулейманов Гасанов Алиев Мамедов Ибрагимов Магомедов Абдуллаев "
    "Галиев Садыков Шарипов Гарипов Хасанов Валиев Юсупов Каримов Нуриев Исмаилов "
    "Высоцкий Ковальский Островский Жуковский Покровский Вишневский Ясинский Поплавский "
    "Белый Толстой Чёрный Лысый Рыжий Арутюнян Петросян Саркисян Оганесян Григорян Цой Ким"
).split()

# The long tail of rare surnames (real surname counts have it: a few surnames are very common,
# most distinct ones rare): invented roots of two syllables with the usual endings, some 20,000.
SURNAME_ONSETS = (
    "Бар Бор Вер Вол Гал Гор Дар Дор Зар Кал Кор Лав Лом Мал Мор Нар Пар Пол Рад Рог Сав Сол "
    "Тар Тол Хар Чар Шар Яр Бел Вас Гол Жар Зим Крас Лис Мед Нов Рыб Сух Тих Чуд Шум Щук Бур "
    "Вих Глад Дем Ерм Жил Зуб Кос Луг Мух Неч Ос Пест Рус Сем Туп Фил Хол Цар Шеп"
).split()
SURNAME_MIDDLES = ("", "ан", "ен", "ин", "он", "ун", "ык", "уш", "ыш", "ох", "ат", "ул", "ял",
                   "ег", "от", "ав", "ир", "ет", "ол", "ур", "из", "яг", "еш", "ад", "ом", "ич",
                   "аш", "ек", "ут", "ив")
SURNAME_ENDINGS = ("ов", "ев", "ин", "ников", "ицкий", "енко", "ук", "ыгин", "анов", "ашов", "ский")
HEAD_SHARE = 0.55  # share of people whose surname is one of the common ones above

GIVEN_MALE = (
    "Александр Сергей Дмитрий Андрей Алексей Максим Евгений Иван Михаил Артём Владимир "
    "Николай Денис Роман Павел Игорь Антон Олег Никита Илья Виталий Юрий Кирилл Вячеслав "
    "Константин Виктор Вадим Егор Руслан Станислав Анатолий Василий Владислав Григорий "
    "Тимур Пётр Фёдор Борис Леонид Геннадий Валерий Степан Ярослав Аркадий Эдуард Матвей "
    "Семён Глеб Лев Тимофей Ринат Марат Айдар Рустам Магомед Шамиль Арсен Заур Ильдар"
).split()
GIVEN_FEMALE = (
    "Елена Ольга Наталья Татьяна Анна Мария Ирина Светлана Екатерина Юлия Анастасия Марина "
    "Дарья Ксения Виктория Людмила Оксана Алина Гульнара Зарема"
).split()

# Patronymics: the father's given name with the regular endings; the irregular ones are listed.
PATRONYMIC_IRREGULAR = {
    "Илья": ("Ильич", "Ильинична"),
    "Лев": ("Львович", "Львовна"),
    "Пётр": ("Петрович", "Петровна"),
    "Павел": ("Павлович", "Павловна"),
    "Михаил": ("Михайлович", "Михайловна"),
    "Никита": ("Никитич", "Никитична"),
    "Фома": ("Фомич", "Фоминична"),
    "Магомед": ("Магомедович", "Магомедовна"),
}

REGIONS = (
    "Москва", "Санкт-Петербург", "Московская область", "Краснодарский край",
    "Свердловская область", "Ростовская область", "Республика Башкортостан",
    "Республика Татарстан", "Челябинская область", "Нижегородская область",
    "Самарская область", "Новосибирская область", "Красноярский край", "Пермский край",
    "Воронежская область", "Волгоградская область", "Саратовская область",
    "Иркутская область", "Омская область", "Алтайский край", "Республика Дагестан",
    "Оренбургская область", "Тюменская область", "Кемеровская область",
    "Республика Бурятия", "Забайкальский край", "Приморский край", "Хабаровский край",
    "Тверская область", "Ярославская область", "Курская область", "Брянская область",
)

# --- Transliteration systems (hand tables: the point is to differ from recount's ICU rules) ---

ISO9 = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                ["a", "b", "v", "g", "d", "e", "ë", "ž", "z", "i", "j", "k", "l", "m", "n",
                 "o", "p", "r", "s", "t", "u", "f", "h", "c", "č", "š", "ŝ", "ʺ", "y", "ʹ",
                 "è", "û", "â"]))
GOST_B = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                  ["a", "b", "v", "g", "d", "e", "yo", "zh", "z", "i", "j", "k", "l", "m", "n",
                   "o", "p", "r", "s", "t", "u", "f", "x", "cz", "ch", "sh", "shh", "``", "y`",
                   "`", "e`", "yu", "ya"]))
BGN = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
               ["a", "b", "v", "g", "d", "e", "ë", "zh", "z", "i", "y", "k", "l", "m", "n", "o",
                "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "ʺ", "y", "ʹ", "e",
                "yu", "ya"]))
ICAO = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o",
                 "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "ie", "y", "", "e",
                 "iu", "ia"]))
FRENCH = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                  ["a", "b", "v", "g", "d", "e", "io", "j", "z", "i", "ï", "k", "l", "m", "n",
                   "o", "p", "r", "s", "t", "ou", "f", "kh", "ts", "tch", "ch", "chtch", "", "y",
                   "", "e", "iou", "ia"]))
GERMAN = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                  ["a", "b", "w", "g", "d", "e", "jo", "sch", "s", "i", "j", "k", "l", "m", "n",
                   "o", "p", "r", "s", "t", "u", "f", "ch", "z", "tsch", "sch", "schtsch", "",
                   "y", "", "e", "ju", "ja"]))
VOWELS = set("аеёиоуыэюя")


def transliterate(word, system):
    """Cyrillic word to Latin by one of the tables, with each system's context rules."""
    table = {"iso9": ISO9, "gost_b": GOST_B, "bgn": BGN, "icao": ICAO, "french": FRENCH,
             "german": GERMAN}[system]
    out = []
    low = word.lower()
    for i, ch in enumerate(low):
        prev = low[i - 1] if i > 0 else ""
        nxt = low[i + 1] if i + 1 < len(low) else ""
        piece = table.get(ch, ch)
        if system == "bgn" and ch in "её" and (prev == "" or prev in VOWELS or prev in "ъь"):
            piece = "y" + piece
        if system == "german" and ch == "е" and (prev == "" or prev in VOWELS or prev in "ъь"):
            piece = "je"
        if system == "french":
            if ch == "с" and prev in VOWELS and nxt in VOWELS:
                piece = "ss"
            if ch == "г" and nxt and nxt in "еиэ":
                piece = "gu"
            if ch == "е" and prev in VOWELS:
                piece = "ïe"
        if system == "german" and ch == "с" and prev in VOWELS and nxt in VOWELS:
            piece = "ss"
        out.append(piece)
    text = "".join(out)
    if system == "french" and text.endswith("ov") and len(text) > 4:
        text = text[:-2] + "off"
    return text[:1].upper() + text[1:] if word[:1].isupper() else text


# Latin letters that look like Cyrillic ones (a typist or an OCR engine mixes them).
HOMOGLYPHS = {"а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "А": "A",
              "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
              "Т": "T", "Х": "X"}

# Neighbouring keys on the Russian ЙЦУКЕН and the Latin QWERTY layouts.
KEY_ROWS_RU = ("йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю")
KEY_ROWS_LAT = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def neighbours(rows):
    result = {}
    for r, row in enumerate(rows):
        for c, ch in enumerate(row):
            near = []
            if c > 0:
                near.append(row[c - 1])
            if c + 1 < len(row):
                near.append(row[c + 1])
            for rr in (r - 1, r + 1):
                if 0 <= rr < len(rows):
                    for cc in (c - 1, c, c + 1):
                        if 0 <= cc < len(rows[rr]):
                            near.append(rows[rr][cc])
            result[ch] = near
    return result


KEY_NEIGHBOURS = {**neighbours(KEY_ROWS_RU), **neighbours(KEY_ROWS_LAT)}


def zipf_weights(n, exponent, offset):
    return [1.0 / (rank + offset) ** exponent for rank in range(1, n + 1)]


class Population:
    """Invented people: surname, given name, patronymic, sex, birth and death dates, region."""

    def __init__(self, rng):
        head = list(dict.fromkeys(SURNAMES_HEAD))
        tail = sorted({(onset + middle).replace("йо", "ё") + end
                       for onset in SURNAME_ONSETS for middle in SURNAME_MIDDLES
                       for end in SURNAME_ENDINGS} - set(head))
        rng.shuffle(tail)
        self.surnames = head + tail
        head_weights = zipf_weights(len(head), 1.0, 5.0)
        tail_weights = zipf_weights(len(tail), 0.5, 10.0)
        scale_head = HEAD_SHARE / sum(head_weights)
        scale_tail = (1.0 - HEAD_SHARE) / sum(tail_weights)
        self.surname_weights = ([w * scale_head for w in head_weights]
                                + [w * scale_tail for w in tail_weights])
        self.surname_cumulative = list(itertools.accumulate(self.surname_weights))
        self.given_weights = zipf_weights(len(GIVEN_MALE), 1.1, 1.0)
        self.female_weights = zipf_weights(len(GIVEN_FEMALE), 1.0, 1.0)
        self.region_weights = zipf_weights(len(REGIONS), 0.7, 2.0)
        self.rng = rng

    def person(self):
        rng = self.rng
        female = rng.random() < 0.03
        surname = rng.choices(self.surnames, cum_weights=self.surname_cumulative)[0]
        if female:
            surname = feminine_surname(surname)
            given = rng.choices(GIVEN_FEMALE, self.female_weights)[0]
        else:
            given = rng.choices(GIVEN_MALE, self.given_weights)[0]
        father = rng.choices(GIVEN_MALE, self.given_weights)[0]
        born = (rng.randint(1962, 2005), rng.randint(1, 12), rng.randint(1, 28))
        died = (rng.choice((2022, 2023, 2024, 2025)), rng.randint(1, 12), rng.randint(1, 28))
        return {"surname": surname, "given": given, "patronymic": patronymic(father, female),
                "female": female, "born": born, "died": died,
                "region": rng.choices(REGIONS, self.region_weights)[0],
                "visibility": rng.gauss(0.0, 0.8)}


def feminine_surname(surname):
    if len(surname) <= 4:  # Цой, Ким, Белый: short or foreign surnames are not declined here
        return surname
    for end, fem in (("ский", "ская"), ("цкий", "цкая"), ("ой", "ая"), ("ый", "ая"),
                     ("ий", "ая")):
        if surname.endswith(end):
            return surname[: -len(end)] + fem
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    return surname


def patronymic(father, female):
    if father in PATRONYMIC_IRREGULAR:
        return PATRONYMIC_IRREGULAR[father][1 if female else 0]
    if father.endswith("ий"):
        stem, male, fem = father[:-2], "ьевич", "ьевна"
    elif father.endswith("й"):
        stem, male, fem = father[:-1], "евич", "евна"
    elif father.endswith("ь"):
        stem, male, fem = father[:-1], "евич", "евна"
    elif father.endswith(("ж", "ш", "ч", "щ", "ц")):
        stem, male, fem = father, "евич", "евна"
    else:
        stem, male, fem = father, "ович", "овна"
    return stem + (fem if female else male)


# --- Noise ---


def keyboard_typo(rng, word):
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word))
    ch = word[i]
    kind = rng.random()
    low = ch.lower()
    if kind < 0.55 and low in KEY_NEIGHBOURS:
        sub = rng.choice(KEY_NEIGHBOURS[low])
        return word[:i] + (sub.upper() if ch.isupper() else sub) + word[i + 1:]
    if kind < 0.75:
        return word[:i] + ch + word[i:]
    if kind < 0.9 and i + 1 < len(word):
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + word[i + 1:]


def homoglyph_mix(rng, word):
    return "".join(HOMOGLYPHS[c] if c in HOMOGLYPHS and rng.random() < 0.5 else c for c in word)


def drop_yo(word):
    return word.replace("ё", "е").replace("Ё", "Е")


def date_text(date, style):
    y, m, d = date
    if style == "dmy":
        return f"{d:02d}.{m:02d}.{y}"
    if style == "iso":
        return f"{y}-{m:02d}-{d:02d}"
    return str(y)


def age_year(rng, person):
    """Birth year derived from the age at death, as a list without birth dates writes it."""
    by, bm, bd = person["born"]
    dy, dm, dd = person["died"]
    age = dy - by - (1 if (dm, dd) < (bm, bd) else 0)
    year = dy - age
    if rng.random() < 0.25:
        year += rng.choice((-1, 1))
    return str(year)


class ListSpec:
    def __init__(self, name, capture, columns):
        self.name, self.capture, self.columns = name, capture, columns


LISTS = (
    ListSpec("burials", 0.55, ("no", "fio", "date_of_birth", "date_of_death", "oblast")),
    ListSpec("registry", 0.60, ("ref", "holder", "birth", "death", "region")),
    ListSpec("notices", 0.45, ("key", "last_name", "first_name", "middle_name", "born", "region")),
    ListSpec("press", 0.35, ("uid", "person", "year_born", "died_on")),
)

LINK_FIELDS = {
    "burials": {"full_name": "fio", "birth_date": "date_of_birth", "death_date": "date_of_death",
                "region": "oblast"},
    "registry": {"full_name": "holder", "birth_date": "birth", "death_date": "death",
                 "region": "region"},
    "notices": {"surname": "last_name", "given": "first_name", "patronymic": "middle_name",
                "birth_date": "born", "region": "region"},
    "press": {"full_name": "person", "birth_date": "year_born", "death_date": "died_on"},
}


def maybe_typo(rng, word, rate):
    return keyboard_typo(rng, word) if word and rng.random() < rate else word


def burials_row(rng, p):
    """Cyrillic "Фамилия Имя Отчество", some with Latin look-alike letters; dd.mm.yyyy."""
    sur, giv, pat = p["surname"], p["given"], p["patronymic"]
    if rng.random() < 0.4:
        sur, giv, pat = drop_yo(sur), drop_yo(giv), drop_yo(pat)
    sur, giv, pat = (maybe_typo(rng, w, 0.03) for w in (sur, giv, pat))
    if rng.random() < 0.06:
        sur = homoglyph_mix(rng, sur)
    if rng.random() < 0.08:
        pat = ""
    if rng.random() < 0.15:
        sur = sur.upper()
    parts = [giv, pat, sur] if rng.random() < 0.05 else [sur, giv, pat]
    born = date_text(p["born"], "dmy") if rng.random() < 0.85 else (
        str(p["born"][0]) if rng.random() < 0.6 else "")
    died = date_text(p["died"], "dmy") if rng.random() < 0.9 else ""
    region = p["region"] if rng.random() < 0.8 else ""
    return [" ".join(w for w in parts if w), born, died, region]


def registry_row(rng, p):
    """Latin upper case "SURNAME GIVEN PATRONYMIC", ICAO-style with some GOST 7.79 system B;
    a few name words left in Cyrillic; ISO dates or dd.mm.yyyy."""
    system = "icao" if rng.random() < 0.7 else "gost_b"
    words = [p["surname"], p["given"], p["patronymic"]]
    if rng.random() < 0.3:
        words[2] = ""
    latin = []
    for w in words:
        if not w:
            continue
        t = transliterate(w, system)
        if rng.random() < 0.03:
            t = w  # a name field left in Cyrillic
        latin.append(maybe_typo(rng, t, 0.03).upper())
    if rng.random() < 0.04:  # "GIVEN PATRONYMIC SURNAME", or "GIVEN SURNAME" without one
        latin = latin[1:] + latin[:1]
    style = "iso" if rng.random() < 0.6 else "dmy"
    born = date_text(p["born"], style) if rng.random() < 0.92 else ""
    died = date_text(p["died"], style) if rng.random() < 0.7 else ""
    region = p["region"] if rng.random() < 0.85 else ""
    return [" ".join(latin), born, died, region]


def notices_row(rng, p):
    """Separate Latin columns: ISO 9 with diacritics or BGN/PCGN; region in Latin (BGN) or
    Cyrillic; sometimes the given name typed in the surname column."""
    system = "iso9" if rng.random() < 0.5 else "bgn"
    sur, giv, pat = (transliterate(w, system) for w in (p["surname"], p["given"],
                                                        p["patronymic"]))
    sur, giv, pat = (maybe_typo(rng, w, 0.04) for w in (sur, giv, pat))
    if rng.random() < 0.05:
        sur, giv = giv, sur
    if rng.random() < 0.2:
        pat = ""
    r = rng.random()
    born = date_text(p["born"], "dmy") if r < 0.75 else (
        str(p["born"][0]) if r < 0.9 else age_year(rng, p))
    region = ""
    if rng.random() < 0.75:
        region = p["region"] if rng.random() < 0.5 else " ".join(
            transliterate(w, "bgn") for w in p["region"].split())
    return [sur, giv, pat, born, region]


def press_row(rng, p):
    """Foreign press: French or German renderings, given name first or last, no patronymic,
    a birth year (often from the age, one year either way) and sometimes the death date."""
    system = "french" if rng.random() < 0.5 else "german"
    sur = maybe_typo(rng, transliterate(p["surname"], system), 0.05)
    giv = maybe_typo(rng, transliterate(p["given"], system), 0.05)
    name = f"{giv} {sur}" if rng.random() < 0.7 else f"{sur.upper()} {giv}"
    r = rng.random()
    year = age_year(rng, p) if r < 0.5 else (str(p["born"][0]) if r < 0.85 else "")
    died = date_text(p["died"], "dmy") if rng.random() < 0.5 else ""
    return [name, year, died]


ROW_MAKERS = {"burials": burials_row, "registry": registry_row, "notices": notices_row,
              "press": press_row}


def probit_capture(rng, target, visibility):
    """On the list when alpha + visibility + N(0,1) > 0, alpha set so the chance is target."""
    alpha = _inverse_normal(target) * math.sqrt(1.0 + 0.8 ** 2)
    return alpha + visibility + rng.gauss(0.0, 1.0) > 0.0


def _inverse_normal(p):
    lo, hi = -10.0, 10.0
    for _ in range(80):
        mid = (lo + hi) / 2
        if 0.5 * math.erfc(-mid / math.sqrt(2)) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def toml_table(mapping):
    return "{ " + ", ".join(f'{k} = "{v}"' for k, v in mapping.items()) + " }"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, required=True, help="size of the population")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument("--out", required=True, help="folder to write (created)")
    args = parser.parse_args()
    if args.people < 1:
        parser.error("--people must be at least 1")
    rng = random.Random(args.seed)
    population = Population(rng)
    os.makedirs(args.out, exist_ok=True)
    rows = {spec.name: [] for spec in LISTS}
    for person_id in range(1, args.people + 1):
        p = population.person()
        for spec in LISTS:
            if not probit_capture(rng, spec.capture, p["visibility"]):
                continue
            copies = 2 if rng.random() < 0.04 else 1
            for _ in range(copies):
                rows[spec.name].append((person_id, ROW_MAKERS[spec.name](rng, p)))
    old_umask = os.umask(0o077)  # files with names: readable by their owner only
    try:
        with open(os.path.join(args.out, "truth.csv"), "w", newline="", encoding="utf-8") as t:
            truth = csv.writer(t, lineterminator="\n")
            truth.writerow(["list", "id", "person"])
            for spec in LISTS:
                listed = rows[spec.name]
                rng.shuffle(listed)
                with open(os.path.join(args.out, f"list_{spec.name}.csv"), "w", newline="",
                          encoding="utf-8") as f:
                    w = csv.writer(f, lineterminator="\n")
                    w.writerow(spec.columns)
                    for rec_id, (person_id, row) in enumerate(listed, start=1):
                        w.writerow([f"{spec.name[0]}{rec_id}"] + row)
                        truth.writerow([spec.name, f"{spec.name[0]}{rec_id}", person_id])
    finally:
        os.umask(old_umask)
    with open(os.path.join(args.out, "link.toml"), "w", encoding="utf-8") as f:
        f.write(f"# Held-out synthetic lists made by bench/linkage/second_generator.py --people "
                f"{args.people} --seed {args.seed}:\n# invented people, never real ones. "
                "Automatic settings, no blocking rules. Do not tune recount on these lists.\n")
        for spec in LISTS:
            f.write(f'\n[[list]]\nname = "{spec.name}"\nfile = "list_{spec.name}.csv"\n'
                    f'id = "{spec.columns[0]}"\nfields = {toml_table(LINK_FIELDS[spec.name])}\n')
            if "region" in LINK_FIELDS[spec.name]:
                f.write(f'stratum = "{LINK_FIELDS[spec.name]["region"]}"\n')
    total = sum(len(v) for v in rows.values())
    print(f"{total} records of {args.people} people in {len(LISTS)} lists: "
          + ", ".join(f"{k} {len(v)}" for k, v in rows.items()), file=sys.stderr)


if __name__ == "__main__":
    main()
