#!/usr/bin/env python3
"""A small development generator of named lists for tuning `recount link` on three kinds of
noise that the project's own generator (`recount simulate lists`) does not make:

- surname and given name written in each other's columns;
- surnames and given names rendered by French or German conventions (ou, tch, ch = ш, j = ж,
  -off, -ine; w, sch, tsch, ch = х, z = ц, s = з, -ow);
- birth years derived from an age, one or two years off.

It exists so that the held-out generator (second_generator.py) need not be looked at while the
matcher is changed: tune on this one, score the held-out one only to report. Its name tables,
transliteration tables and list layouts are its own, written apart from second_generator.py.

Every person is invented: names are drawn at random from the small tables below.

Usage: dev_generator.py --people N --seed S --out DIR
Writes DIR/list_<name>.csv, DIR/link.toml (automatic settings) and DIR/truth.csv
(list,id,person). Python 3 standard library only.
"""

import argparse
import csv
import os
import random

SURNAMES = (
    "Иванов Кузнецов Соколов Попов Лебедев Козлов Новиков Морозов Петров Волков Соловьёв "
    "Васильев Зайцев Павлов Семёнов Голубев Виноградов Богданов Воробьёв Фёдоров Михайлов "
    "Беляев Тарасов Белов Комаров Орлов Киселёв Макаров Андреев Ковалёв Ильин Гусев Титов "
    "Кузьмин Кудрявцев Баранов Куликов Алексеев Степанов Яковлев Сорокин Сергеев Романов "
    "Захаров Борисов Королёв Герасимов Пономарёв Григорьев Лазарев Медведев Ершов Никитин "
    "Соболев Рябов Поляков Цветков Данилов Жуков Фролов Журавлёв Николаев Крылов Максимов "
    "Сидоров Осипов Белоусов Федотов Дорофеев Егоров Матвеев Бобров Дмитриев Калинин Анисимов "
    "Петухов Антонов Тимофеев Никифоров Веселов Филиппов Марков Большаков Суханов Миронов "
    "Ширяев Александров Коновалов Шестаков Казаков Ефимов Денисов Громов Фомин Давыдов Мельников "
    "Щербаков Блинов Колесников Карпов Афанасьев Власов Маслов Исаков Тихонов Аксёнов Гаврилов "
    "Родионов Котов Горбунов Кудряшов Быков Зуев Третьяков Савельев Панов Рыбаков Суворов "
    "Абрамов Воронов Мухин Архипов Трофимов Мартынов Емельянов Горшков Чернов Овчинников "
    "Селезнёв Панфилов Копылов Михеев Галкин Назаров Лобанов Лукин Беляков Потапов Некрасов "
    "Хохлов Жданов Наумов Шилов Воронцов Ермаков Дроздов Игнатьев Савин Логинов Сафонов Капустин "
    "Кириллов Моисеев Елисеев Кошелев Костин Горбачёв Орехов Ефремов Исаев Евдокимов Калашников "
    "Кабанов Носков Юдин Кулагин Лапин Прохоров Нестеров Харитонов Агафонов Муравьёв Ларионов "
    "Федосеев Зимин Пахомов Шубин Игнатов Филатов Крюков Рогов Кулаков Терентьев Молчанов "
    "Владимиров Артемьев Гурьев Зиновьев Гришин Кононов Дементьев Ситников Симонов Мишин "
    "Фадеев Комиссаров Мамонтов Носов Гуляев Шаров Устинов Вишняков Евсеев Лаврентьев Брагин "
    "Константинов Корнилов Авдеев Зыков Бирюков Шарапов Никонов Щукин Дьячков Одинцов Сазонов "
    "Якушев Красильников Гордеев Самойлов Князев Беспалов Уваров Шашков Бобылёв Доронин Белозёров "
    "Рожков Самсонов Мясников Лихачёв Буров Сысоев Фомичёв Русаков Стрелков Гущин Тетерин "
    "Колобов Субботин Фокин Блохин Селиверстов Пестов Кондратьев Силин Меркушев Лыткин Туров "
    "Чайковский Жеребцов Шишкин Чижов Щеглов Хлебников Жаров Чумаков Шапошников Хрусталёв "
    "Щедрин Чеботарёв Жилин Шувалов Хомяков Черепанов Жигалов Шубников Хабаров Чупров Шмелёв"
).split()

# A tail of rarer surnames: roots and endings of this script's own.
TAIL_ROOTS = (
    "Брус Вяз Гнед Дуб Жук Звон Иск Клён Лыс Мох Нор Овс Пуш Ряб Сит Тын Уш Хмел Чиж Шил "
    "Щеп Ясн Бух Вет Гул Дым Ерш Жел Зол Кур Лес Мер Нив Пал Рож Сом Топ Ух Фед Хор Чур Шат"
).split()
TAIL_ENDS = ("ов", "ин", "ихин", "цов", "енков", "ушкин", "ников", "анов", "ский", "ёв")

GIVEN = (
    "Алексей Андрей Антон Артём Борис Вадим Валентин Валерий Василий Виктор Виталий Владимир "
    "Вячеслав Геннадий Георгий Глеб Григорий Денис Дмитрий Евгений Егор Иван Игорь Илья Кирилл "
    "Константин Леонид Максим Михаил Никита Николай Олег Павел Пётр Роман Руслан Святослав "
    "Семён Сергей Станислав Степан Тимофей Тимур Фёдор Юрий Яков Ярослав Захар Арсений Эдуард "
    "Родион Всеволод Филипп Матвей Савелий Жорж Шамиль"
).split()

REGIONS = ("Тульская область", "Калужская область", "Пензенская область", "Удмуртия",
           "Чувашия", "Ставропольский край", "Липецкая область", "Мурманская область",
           "Томская область", "Амурская область", "Смоленская область", "Курганская область")

# English-style (BGN-like) romanisation, written for this script.
ENGLISH = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
           "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
           "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
           "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
           "я": "ya"}
# French conventions (as French newspapers wrote Russian names).
FRENCH = {**ENGLISH, "ё": "io", "ж": "j", "й": "ï", "у": "ou", "х": "kh", "ч": "tch",
          "ш": "ch", "щ": "chtch", "ы": "y", "ю": "iou", "я": "ia"}
# German conventions (Duden).
GERMAN = {**ENGLISH, "в": "w", "ё": "jo", "ж": "sch", "з": "s", "й": "j", "х": "ch", "ц": "z",
          "ч": "tsch", "ш": "sch", "щ": "schtsch", "ю": "ju", "я": "ja"}
VOWELS = set("аеёиоуыэюя")


def romanise(word, system):
    table = {"english": ENGLISH, "french": FRENCH, "german": GERMAN}[system]
    low = word.lower()
    out = []
    for i, ch in enumerate(low):
        prev = low[i - 1] if i else ""
        nxt = low[i + 1] if i + 1 < len(low) else ""
        piece = table.get(ch, ch)
        if ch == "с" and prev in VOWELS and nxt in VOWELS and system != "english":
            piece = "ss"
        if system == "french" and ch == "г" and nxt in ("е", "и", "й"):
            piece = "gu"
        if ch == "и" and nxt == "й" and i + 2 == len(low) and system != "english":
            piece = ""  # -ий written -i (Dmitri, Iouri)
        if ch == "й" and prev == "и" and i + 1 == len(low) and system != "english":
            piece = "i"
        if system == "english" and ch == "е" and (not prev or prev in VOWELS or prev in "ъь"):
            piece = "ye"
        out.append(piece)
    text = "".join(out)
    if system == "french" and text.endswith("ov") and random.random() < 0.6:
        text = text[:-2] + "off"
    if system == "french" and text.endswith("in") and random.random() < 0.5:
        text += "e"
    return text[:1].upper() + text[1:]


def typo(rng, word):
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.4:
        return word[:i] + word[i + 1:]
    if kind < 0.7:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + rng.choice("aeiourntsl") + word[i + 1:]


def patronymic(father):
    if father.endswith("ий"):
        return father[:-2] + "ьевич"
    if father.endswith("й"):
        return father[:-1] + "евич"
    return {"Илья": "Ильич", "Пётр": "Петрович", "Павел": "Павлович",
            "Яков": "Яковлевич"}.get(father, father + "ович")


def person(rng, surnames, weights):
    return {
        "surname": rng.choices(surnames, weights)[0],
        "given": rng.choice(GIVEN),
        "patronymic": patronymic(rng.choice(GIVEN)),
        "born": (rng.randint(1965, 2004), rng.randint(1, 12), rng.randint(1, 28)),
        "died": (rng.randint(2022, 2025), rng.randint(1, 12), rng.randint(1, 28)),
        "region": rng.choice(REGIONS),
    }


def year_from_age(rng, p):
    (by, bm, bd), (dy, dm, dd) = p["born"], p["died"]
    age = dy - by - (1 if (dm, dd) < (bm, bd) else 0)
    year = dy - age
    r = rng.random()
    if r < 0.2:
        year += rng.choice((-1, 1))
    elif r < 0.3:
        year += rng.choice((-2, 2))
    return str(year)


def dmy(d):
    return f"{d[2]:02d}.{d[1]:02d}.{d[0]}"


def roll_row(rng, p):
    """Cyrillic "Фамилия Имя Отчество", full dates, region."""
    words = [p["surname"], p["given"], p["patronymic"]]
    if rng.random() < 0.05:
        words[0] = typo(rng, words[0])
    return [" ".join(words), dmy(p["born"]) if rng.random() < 0.9 else "", p["region"]]


def ledger_row(rng, p):
    """English-style Latin in separate columns; the surname and given name sometimes swapped."""
    sur, giv, pat = (romanise(w, "english") for w in (p["surname"], p["given"], p["patronymic"]))
    if rng.random() < 0.04:
        sur = typo(rng, sur)
    if rng.random() < 0.08:
        sur, giv = giv, sur
    born = dmy(p["born"]) if rng.random() < 0.8 else str(p["born"][0])
    return [sur.upper(), giv, pat if rng.random() < 0.7 else "", born,
            p["region"] if rng.random() < 0.5 else ""]


def abroad_row(rng, p):
    """French or German renderings, "Given Surname" or "SURNAME Given", a year from the age."""
    system = "french" if rng.random() < 0.5 else "german"
    sur = romanise(p["surname"], system)
    giv = romanise(p["given"], system)
    if rng.random() < 0.04:
        sur = typo(rng, sur)
    name = f"{giv} {sur}" if rng.random() < 0.6 else f"{sur.upper()} {giv}"
    return [name, year_from_age(rng, p) if rng.random() < 0.8 else str(p["born"][0]),
            dmy(p["died"]) if rng.random() < 0.6 else ""]


LISTS = (
    ("roll", 0.6, ("id", "fio", "born", "region"), roll_row,
     {"full_name": "fio", "birth_date": "born", "region": "region"}),
    ("ledger", 0.5, ("id", "surname", "given", "patronymic", "birth", "region"), ledger_row,
     {"surname": "surname", "given": "given", "patronymic": "patronymic", "birth_date": "birth",
      "region": "region"}),
    ("abroad", 0.4, ("id", "name", "year", "died"), abroad_row,
     {"full_name": "name", "birth_date": "year", "death_date": "died"}),
)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    random.seed(args.seed + 1)  # the romanisation's spelling choices
    surnames = list(dict.fromkeys(SURNAMES)) + sorted(
        {root + end for root in TAIL_ROOTS for end in TAIL_ENDS})
    weights = [1.0 / (rank + 3) for rank in range(len(surnames))]
    os.makedirs(args.out, exist_ok=True)
    rows = {name: [] for name, *_ in LISTS}
    for pid in range(1, args.people + 1):
        p = person(rng, surnames, weights)
        for name, capture, _, make, _ in LISTS:
            if rng.random() < capture:
                rows[name].append((pid, make(rng, p)))
    old = os.umask(0o077)  # invented names, but files of names: owner only
    try:
        with open(os.path.join(args.out, "truth.csv"), "w", newline="", encoding="utf-8") as t:
            truth = csv.writer(t, lineterminator="\n")
            truth.writerow(["list", "id", "person"])
            for name, _, columns, _, _ in LISTS:
                with open(os.path.join(args.out, f"list_{name}.csv"), "w", newline="",
                          encoding="utf-8") as f:
                    w = csv.writer(f, lineterminator="\n")
                    w.writerow(columns)
                    for i, (pid, row) in enumerate(rows[name], start=1):
                        w.writerow([f"{name[0]}{i}"] + row)
                        truth.writerow([name, f"{name[0]}{i}", pid])
        with open(os.path.join(args.out, "link.toml"), "w", encoding="utf-8") as f:
            f.write("# Lists of invented people from bench/linkage/dev_generator.py\n")
            for name, _, columns, _, fields in LISTS:
                table = ", ".join(f'{k} = "{v}"' for k, v in fields.items())
                f.write(f'\n[[list]]\nname = "{name}"\nfile = "list_{name}.csv"\nid = "id"\n'
                        f"fields = {{ {table} }}\n")
    finally:
        os.umask(old)


if __name__ == "__main__":
    main()
