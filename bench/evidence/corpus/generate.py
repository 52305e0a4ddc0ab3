#!/usr/bin/env python3
"""Writes the claim extractor's development corpus: invented reports in English and Russian,
in the styles evidence comes in (wire copy, long-form, NGO bulletin, official statement,
Telegram-style post, headline and lede, an HTML table), each with its gold claims in the claims
CSV format (docs/claims.md), `document` naming the report.

Two sets with separate sentence frames, sources and places, `generated-a` and `generated-b`,
both in the `dev` split (tuned on): reports from one template script share their layouts, so
they cannot measure how the extractor does on reports it has never seen. The `test` split is
written by hand instead (bench/evidence/corpus/test/, see its README.md). Every report is
reproducible from the seed: `python3 bench/evidence/corpus/generate.py` rewrites both sets.

The texts are the project's own invented words; no figure in them is real.
"""

import csv
import os
import random
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))

COLUMNS = ["id", "as_of", "published", "measure", "population", "kind", "low", "high", "rate",
           "source", "source_org", "source_type", "via", "hedges", "note", "url", "document"]

EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]
RU_MONTHS_GEN = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                 "сентября", "октября", "ноября", "декабря"]


def fmt_en(n, rng):
    style = rng.random()
    if n >= 1000 and n % 1000 == 0 and style < 0.25:
        return f"{n // 1000} thousand"
    if n >= 10000 and n % 100 == 0 and style < 0.35:
        return f"{n / 1000:g}k" if rng.random() < 0.3 else f"{n / 1000:g} thousand"
    return f"{n:,}"


def fmt_ru(n, rng):
    """Russian figures: thin grouping with a space or a no-break space, 'тыс.' with a decimal
    comma, 'тысяч' in words."""
    style = rng.random()
    if n >= 1000 and n % 100 == 0 and style < 0.3:
        t = n / 1000
        s = f"{t:g}".replace(".", ",")
        return s + " " + rng.choice(["тыс.", "тысяч", "тыс."])
    if n >= 1000:
        sep = rng.choice([" ", "\u00a0", " "])
        s = f"{n:,}".replace(",", sep)
        return s
    return str(n)


def pick_number(rng, big=True):
    if big:
        n = rng.choice([rng.randrange(10, 200) * 100, rng.randrange(2, 60) * 1000,
                        rng.randrange(100, 990) * 10 + 5 * rng.randrange(0, 2)])
    else:
        n = rng.randrange(20, 900)
    # Russian agreement is simpler with a genitive plural: end in 0 or 5-9.
    if n % 10 in (1, 2, 3, 4):
        n += 5 - n % 10
    return n


def quantity_en(rng, allow_magnitude=True):
    n = pick_number(rng)
    r = rng.random()
    if r < 0.3:
        return fmt_en(n, rng), "point", n, n
    if r < 0.45:
        w = rng.choice(["about", "around", "roughly", "nearly", "some", "approximately"])
        return f"{w} {fmt_en(n, rng)}", "approximate", n, n
    if r < 0.6:
        w = rng.choice(["more than", "over", "at least", "no fewer than"])
        return f"{w} {fmt_en(n, rng)}", "at_least", n, None
    if r < 0.72:
        w = rng.choice(["up to", "as many as", "fewer than"])
        return f"{w} {fmt_en(n, rng)}", "at_most", None, n
    if r < 0.88 or not allow_magnitude:
        hi = n + rng.choice([1, 2, 5]) * (1000 if n >= 10000 else 100)
        if rng.random() < 0.5:
            return f"between {n:,} and {hi:,}", "range", n, hi
        return f"{n:,} to {hi:,}", "range", n, hi
    w, lo, hi = rng.choice([("thousands of", 1000, 9999), ("hundreds of", 100, 999),
                            ("tens of thousands of", 10000, 99999)])
    return w, "magnitude", lo, hi


def quantity_ru(rng, allow_magnitude=True):
    n = pick_number(rng)
    r = rng.random()
    if r < 0.3:
        return fmt_ru(n, rng), "point", n, n
    if r < 0.45:
        w = rng.choice(["около", "порядка", "примерно", "почти"])
        return f"{w} {fmt_ru(n, rng)}", "approximate", n, n
    if r < 0.6:
        w = rng.choice(["более", "свыше", "не менее", "как минимум"])
        return f"{w} {fmt_ru(n, rng)}", "at_least", n, None
    if r < 0.72:
        return f"до {fmt_ru(n, rng)}", "at_most", None, n
    if r < 0.9 or not allow_magnitude:
        if n >= 2000 and n % 1000 == 0:
            hi = n + 1000
            if rng.random() < 0.5:
                return f"от {n // 1000} до {hi // 1000} тысяч", "range", n, hi
            return f"{n // 1000}–{hi // 1000} тыс.", "range", n, hi
        hi = n + 100
        return f"от {fmt_ru(n, rng)} до {fmt_ru(hi, rng)}", "range", n, hi
    w, lo, hi = rng.choice([("несколько тысяч", 3000, 9999), ("сотни", 100, 999),
                            ("десятки тысяч", 10000, 99999), ("тысячи", 1000, 9999)])
    return w, "magnitude", lo, hi


# --- English ----------------------------------------------------------------------------------
# Sources: (name, org, source_type, pronoun kind, subject phrase used later).

EN_SOURCES = {
    "dev": [
        ("Mediazona", "", "data_journalism", "org"),
        ("Olga Romanova", "Russia Behind Bars", "ngo", "person"),
        ("the Federal Penitentiary Service", "", "belligerent_official", "org"),
        ("British intelligence", "", "third_party_government", "org"),
        ("Northern Prison Monitor", "", "", "org"),
        ("Pavel Lednev", "Northern Prison Monitor", "", "person"),
        ("Verstka", "", "data_journalism", "org"),
        ("the Ukrainian General Staff", "", "belligerent_official", "org"),
    ],
    "test": [
        ("iStories", "", "data_journalism", "org"),
        ("Irina Besova", "Volga Rights Centre", "", "person"),
        ("the Russian Defence Ministry", "", "belligerent_official", "org"),
        ("Gulagu.net", "", "ngo", "org"),
        ("Anton Drozdov", "", "", "person"),
        ("the Kharkiv Observer", "", "media", "org"),
    ],
}

EN_PLACES = {
    "dev": ["Sverdlovsk", "Krasnoyarsk", "Perm", "Omsk", "Tver", "Kursk"],
    "test": ["Irkutsk", "Saratov", "Vologda", "Chita"],
}

# Claim frames: (measure, population, text). {Q} the quantity, {P} a place.
EN_FRAMES = {
    "dev": [
        ("recruited", "convicts", "{Q} prisoners were recruited from colonies in the {P} region"),
        ("recruited", "convicts", "{Q} inmates signed up to fight in exchange for a pardon"),
        ("recruited", "convicts", "{Q} convicts went to fight for the army since the autumn"),
        ("recruited", "convicts", "recruiters enlisted {Q} men from penal colonies"),
        ("killed", "convicts", "{Q} recruited convicts have been killed"),
        ("killed", "convicts", "{Q} pardoned prisoners were buried in cemeteries near {P}"),
        ("killed", "convicts", "{Q} former inmates died at the front"),
        ("killed", "", "{Q} fighters fell in the battles for the town"),
        ("wounded", "convicts", "{Q} convicts were wounded"),
        ("casualties", "", "losses among the assault units reached {Q} men"),
        ("captured", "convicts", "{Q} former prisoners were taken prisoner"),
        ("in_service", "convicts", "{Q} recruited inmates are still at the front"),
        ("returned", "convicts", "{Q} men have returned home after their contracts ended"),
        ("prison_population", "", "{Q} people were held in colonies and jails"),
        ("prison_population", "", "the number of inmates fell to {Q} people"),
        ("deserted", "", "{Q} soldiers deserted from their units"),
        ("missing", "", "{Q} servicemen are missing"),
        ("reoffended", "convicts", "{Q} returned fighters committed new crimes"),
    ],
    "test": [
        ("recruited", "convicts", "{Q} men from prisons in {P} joined the assault units"),
        ("recruited", "convicts", "{Q} inmates were sent to the front"),
        ("killed", "convicts", "{Q} of the recruited prisoners died in combat"),
        ("killed", "", "{Q} soldiers were killed near the river"),
        ("wounded", "", "{Q} fighters were injured in the shelling"),
        ("casualties", "", "the brigade lost {Q} men"),
        ("in_service", "convicts", "{Q} former convicts are serving in the army"),
        ("prison_population", "", "{Q} inmates remain behind bars in the {P} region"),
        ("captured", "", "{Q} soldiers surrendered"),
        ("returned", "convicts", "{Q} pardoned convicts came home"),
    ],
}

EN_FILLER = [
    "The war has changed the prisons of the region beyond recognition.",
    "Relatives describe months without news and a phone that stopped ringing.",
    "The colony, built in 1978, sits on the edge of a birch forest.",
    "Each recruit was promised 200,000 roubles a month, about $2,200.",
    "A recruiter, aged 45, arrived in a black minivan on 3 May 2023.",
    "The men were charged under Article 105 of the criminal code.",
    "Around 12 percent of the colony's budget goes on heating.",
    "Two exchanges of prisoners of war took place in the summer.",
    "Officials did not answer written questions.",
    "The contract lasts six months.",
    "The figures could not be checked against other records.",
    "Families gather outside the gates every Sunday.",
    "The court hearing lasted 40 minutes.",
    "In 2022 the colony housed a sewing workshop.",
]

EN_FILLER_TEST = [
    "Snow had already covered the road to the camp in early October.",
    "The prosecutor asked for 15 years in a strict-regime colony.",
    "His mother, 67, keeps his letters in a shoebox.",
    "The region spent 3.5 million roubles on funerals last year.",
    "The 2019 census counted 41 villages in the district.",
    "Nobody at the colony would speak on the record.",
]


def en_attributed(rng, frame, q, src, mode):
    """A sentence stating the claim with its attribution in `mode`."""
    name = src[0]
    cap = name[0].upper() + name[1:]
    verb = rng.choice(["said", "reported", "estimated", "found", "says"])
    if mode == "before":
        return f"{cap} {verb} that {frame}."
    if mode == "according":
        return f"According to {name}, {frame}."
    if mode == "after":
        tail = rng.choice(["concluded", "said", "reported", "estimated"])
        return f"{frame[0].upper() + frame[1:]}, {name} {tail}."
    if mode == "data":
        return f"Data from {name} show that {frame}."
    if mode == "none":
        return f"{frame[0].upper() + frame[1:]}."
    raise ValueError(mode)


class Report:
    def __init__(self, lang, split, idx, style, date):
        self.lang, self.split, self.idx, self.style, self.date = lang, split, idx, style, date
        self.paragraphs = []
        self.gold = []

    def claim(self, measure, population, kind, low, high, src, hedges=(), rate=""):
        self.gold.append(dict(measure=measure, population=population, kind=kind,
                              low="" if low is None else str(low),
                              high="" if high is None else str(high), rate=rate,
                              source=src[0] if src else "", source_org=src[1] if src else "",
                              source_type=src[2] if src else "", hedges=";".join(sorted(hedges))))


def en_report(rng, split, idx, style, date):
    rep = Report("en", split, idx, style, date)
    sources = EN_SOURCES[split]
    frames = EN_FRAMES[split]
    places = EN_PLACES[split]
    fillers = EN_FILLER if split == "dev" else EN_FILLER_TEST
    dstr = f"{date[2]} {EN_MONTHS[date[1] - 1]} {date[0]}"
    modes = ["before", "according", "after", "data", "none", "before", "after"]

    def frame_q(allow_mag=True):
        m, pop, text = rng.choice(frames)
        qt, kind, lo, hi = quantity_en(rng, allow_mag)
        return m, pop, text.replace("{Q}", qt).replace("{P}", rng.choice(places)), kind, lo, hi

    if style == "table":
        src = rng.choice(sources)
        rows = []
        cols = [("recruited", "Recruited"), ("killed", "Killed")]
        for p in rng.sample(places, 3):
            vals = [pick_number(rng) for _ in cols]
            rows.append((p, vals))
        body = [f"<p>{dstr}</p>",
                f"<p>The table below gives the counts of recruited and killed prisoners by "
                f"region, as compiled by {src[0]}.</p>", "<table>",
                "<tr><th>Region</th>" + "".join(f"<th>{c[1]}</th>" for c in cols) + "</tr>"]
        for p, vals in rows:
            body.append(f"<tr><td>{p}</td>" + "".join(f"<td>{v:,}</td>" for v in vals) + "</tr>")
            for (m, _), v in zip(cols, vals):
                rep.claim(m, "convicts", "point", v, v, src)
        body.append("</table>")
        rep.html = ("<!doctype html><html><head><title>Prison recruitment by region</title>"
                    f"<meta name=\"date\" content=\"{date[0]}-{date[1]:02d}-{date[2]:02d}\">"
                    "</head><body><h1>Prison recruitment by region</h1>" + "".join(body) +
                    "</body></html>")
        return rep

    out = []
    if style == "wire":
        place = rng.choice(["MOSCOW", "KYIV", "LONDON", "RIGA"])
        out.append(f"{place}, {dstr} (Wire) - " + fillers[0])
        for _ in range(rng.randint(3, 5)):
            src = rng.choice(sources)
            mode = rng.choice(modes)
            m, pop, text, kind, lo, hi = frame_q()
            out.append(en_attributed(rng, text, None, src, mode))
            rep.claim(m, pop, kind, lo, hi, None if mode == "none" else src)
            if rng.random() < 0.4:
                out.append(rng.choice(fillers))
        rep.text = "\n\n".join(out) + "\n"
        return rep
    if style == "headline":
        m, pop, text, kind, lo, hi = frame_q(False)
        src = rng.choice(sources)
        head = text[0].upper() + text[1:]
        out.append(head)
        out.append(dstr)
        out.append(en_attributed(rng, text, None, src, "according") + " " +
                   rng.choice(fillers))
        rep.claim(m, pop, kind, lo, hi, src)
        for _ in range(rng.randint(1, 3)):
            m, pop, text, kind, lo, hi = frame_q()
            out.append(en_attributed(rng, text, None, src, "before"))
            rep.claim(m, pop, kind, lo, hi, src)
        rep.text = "\n\n".join(out) + "\n"
        return rep
    if style == "telegram":
        out.append(dstr)
        src = rng.choice(sources)
        out.append(f"{src[0][0].upper() + src[0][1:]}: new figures.")
        for _ in range(rng.randint(2, 4)):
            m, pop, text, kind, lo, hi = frame_q()
            out.append(f"- {text[0].upper() + text[1:]}, {src[0]} reported")
            rep.claim(m, pop, kind, lo, hi, src)
        out.append("Subscribe to the channel.")
        rep.text = "\n".join(out) + "\n"
        return rep
    if style == "bulletin":
        src = rng.choice([s for s in sources if s[3] == "org"])
        out.append(f"Monthly bulletin\n{dstr}")
        out.append(f"{src[0][0].upper() + src[0][1:]} has published its monthly count. "
                   f"The figures below come from court records and families.")
        for _ in range(rng.randint(3, 5)):
            m, pop, text, kind, lo, hi = frame_q()
            hedge = rng.random() < 0.3
            sent = f"By its count, {text}." if not hedge else \
                f"By its count, {text}, though this could not be verified."
            out.append(sent)
            rep.claim(m, pop, kind, lo, hi, src, ("unverified",) if hedge else ())
        rep.text = "\n\n".join(out) + "\n"
        return rep
    if style == "statement":
        src = rng.choice([s for s in sources if s[2] == "belligerent_official"] or sources)
        out.append(f"Official statement\n{dstr}")
        cap = src[0][0].upper() + src[0][1:]
        for k in range(rng.randint(2, 4)):
            m, pop, text, kind, lo, hi = frame_q()
            lead = f"{cap} states that" if k == 0 else "It also states that"
            out.append(f"{lead} {text}.")
            rep.claim(m, pop, kind, lo, hi, src, ("claimed",) if False else ())
        rep.text = "\n\n".join(out) + "\n"
        return rep
    # long-form: paragraphs with a source carried through, fillers, rates, hedges.
    out.append(f"The long road from the colony\n{dstr}")
    for _ in range(rng.randint(3, 4)):
        para = [rng.choice(fillers)]
        src = rng.choice(sources)
        m, pop, text, kind, lo, hi = frame_q()
        hedge = rng.random() < 0.3
        mode = rng.choice(["before", "according", "after"])
        s = en_attributed(rng, text, None, src, mode)
        if hedge:
            s = s.replace(" that ", " that, reportedly, ", 1) if " that " in s else s
            hedge = " reportedly" in s
        para.append(s)
        rep.claim(m, pop, kind, lo, hi, src, ("reportedly",) if hedge else ())
        if rng.random() < 0.6:
            m, pop, text, kind, lo, hi = frame_q()
            para.append(f"Moreover, {text}.")
            rep.claim(m, pop, kind, lo, hi, src)
        if rng.random() < 0.3:
            n = pick_number(rng, False)
            para.append(f"{cap_first(src[0])} said that {n} prisoners die every week.")
            rep.claim("killed", "convicts", "point", n, n, src, (), "week")
        para.append(rng.choice(fillers))
        out.append(" ".join(para))
    rep.text = "\n\n".join(out) + "\n"
    return rep


def cap_first(s):
    return s[0].upper() + s[1:]


# --- Russian ----------------------------------------------------------------------------------
# Sources: (nominative, org, type, kind, genitive) -- the genitive after "по данным", "по словам".

RU_SOURCES = {
    "dev": [
        ("«Медиазона»", "", "data_journalism", "org", "«Медиазоны»"),
        ("Ольга Романова", "«Русь сидящая»", "ngo", "person", "Ольги Романовой"),
        ("ФСИН", "", "belligerent_official", "org", "ФСИН"),
        ("«Северный монитор»", "", "", "org", "«Северного монитора»"),
        ("Павел Леднев", "", "", "person", "Павла Леднева"),
        ("«Вёрстка»", "", "data_journalism", "org", "«Вёрстки»"),
        ("Минобороны", "", "belligerent_official", "org", "Минобороны"),
    ],
    "test": [
        ("«Важные истории»", "", "data_journalism", "org", "«Важных историй»"),
        ("Ирина Бесова", "", "", "person", "Ирины Бесовой"),
        ("Gulagu.net", "", "ngo", "org", "Gulagu.net"),
        ("Антон Дроздов", "", "", "person", "Антона Дроздова"),
        ("«Волжский вестник»", "", "media", "org", "«Волжского вестника»"),
    ],
}

RU_PLACES = {
    "dev": ["Свердловской области", "Красноярском крае", "Пермском крае", "Омской области"],
    "test": ["Иркутской области", "Саратовской области", "Забайкалье"],
}

RU_FRAMES = {
    "dev": [
        ("recruited", "convicts", "{Q} заключенных завербованы в колониях в {P}"),
        ("recruited", "convicts", "{Q} осужденных подписали контракт с Минобороны"),
        ("recruited", "convicts", "{Q} заключенных отправились воевать"),
        ("killed", "convicts", "{Q} завербованных заключенных погибли"),
        ("killed", "convicts", "{Q} помилованных осужденных похоронены на кладбищах"),
        ("killed", "", "{Q} бойцов погибли в боях за город"),
        ("wounded", "", "{Q} бойцов получили ранения"),
        ("captured", "convicts", "{Q} бывших заключенных попали в плен"),
        ("in_service", "convicts", "{Q} завербованных осужденных до сих пор находятся на фронте"),
        ("returned", "convicts", "{Q} бывших заключенных вернулись домой"),
        ("prison_population", "", "в колониях и СИЗО содержатся {Q} человек"),
        ("missing", "", "{Q} военнослужащих пропали без вести"),
        ("deserted", "", "{Q} военнослужащих дезертировали"),
        ("reoffended", "convicts", "{Q} вернувшихся бойцов совершили новые преступления"),
        ("casualties", "", "потери штурмовых отрядов составили {Q} человек"),
    ],
    "test": [
        ("recruited", "convicts", "{Q} заключенных из колоний в {P} ушли на фронт"),
        ("recruited", "convicts", "{Q} осужденных были завербованы"),
        ("killed", "convicts", "{Q} бывших осужденных погибли на войне"),
        ("killed", "", "{Q} военнослужащих убиты"),
        ("wounded", "", "{Q} бойцов ранены"),
        ("in_service", "convicts", "{Q} бывших заключенных служат в армии"),
        ("prison_population", "", "в учреждениях в {P} остаются {Q} заключенных"),
        ("returned", "convicts", "{Q} помилованных осужденных вернулись домой"),
    ],
}

RU_FILLER = [
    "Война изменила колонии региона до неузнаваемости.",
    "Родственники месяцами не получают вестей.",
    "Колония, построенная в 1978 году, стоит на краю березового леса.",
    "Каждому обещали 200 тысяч рублей в месяц.",
    "Вербовщик, 45 лет, приехал 3 мая 2023 года.",
    "Мужчин осудили по статье 105 УК.",
    "Около 12% бюджета колонии уходит на отопление.",
    "Летом прошли два обмена пленными.",
    "В ведомстве не ответили на вопросы.",
    "Контракт заключается на шесть месяцев.",
    "Данные на 1 января 2023 года не публиковались.",
]

RU_FILLER_TEST = [
    "Снег уже в начале октября замел дорогу к лагерю.",
    "Прокурор запросил 15 лет колонии строгого режима.",
    "Его мать, 67 лет, хранит письма в коробке.",
    "На похороны регион потратил 3,5 млн рублей.",
    "Перепись 2019 года насчитала 41 деревню в районе.",
    "Суд состоялся 15 декабря 2023 года.",
]


def ru_attributed(rng, frame, src, mode):
    nom, gen = src[0], src[4]
    person = src[3] == "person"
    cf = frame[0].upper() + frame[1:]
    if mode == "po_dannym":
        w = "по словам" if person else "по данным"
        return f"{w.capitalize()} {gen}, {frame}."
    if mode == "before":
        verb = rng.choice(["заявила", "сообщила"]) if nom.endswith("а") and person else \
            rng.choice(["заявил", "сообщил", "утверждает"]) if person else \
            rng.choice(["сообщает", "утверждает", "подсчитала" if nom.endswith("»") and
                        nom[-2] == "а" else "сообщает"])
        return f"{cap_first(nom)} {verb}, что {frame}."
    if mode == "after":
        verb = "сообщила" if (person and nom.split()[0].endswith("а")) or \
            (not person and nom.endswith("а»")) else "сообщил" if person else "сообщает"
        return f"{cf}, {verb} {nom}."
    if mode == "ssylka":
        return f"{cf}, пишет «Вечерний курьер» со ссылкой на {gen if src[2] != 'ngo' else nom}."
    if mode == "none":
        return f"{cf}."
    raise ValueError(mode)


def ru_report(rng, split, idx, style, date):
    rep = Report("ru", split, idx, style, date)
    sources = RU_SOURCES[split]
    frames = RU_FRAMES[split]
    places = RU_PLACES[split]
    fillers = RU_FILLER if split == "dev" else RU_FILLER_TEST
    dstr = f"{date[2]} {RU_MONTHS_GEN[date[1] - 1]} {date[0]} года"
    modes = ["po_dannym", "before", "after", "none", "po_dannym", "before"]

    def frame_q(allow_mag=True):
        m, pop, text = rng.choice(frames)
        qt, kind, lo, hi = quantity_ru(rng, allow_mag)
        return m, pop, text.replace("{Q}", qt).replace("{P}", rng.choice(places)), kind, lo, hi

    if style == "table":
        src = rng.choice(sources)
        cols = [("recruited", "Завербовано"), ("killed", "Погибли")]
        body = [f"<p>{dstr}</p>",
                f"<p>В таблице — число завербованных и погибших заключенных по регионам, "
                f"по данным {src[4]}.</p>", "<table>",
                "<tr><th>Регион</th>" + "".join(f"<th>{c[1]}</th>" for c in cols) + "</tr>"]
        for p in rng.sample(places, min(3, len(places))):
            vals = [pick_number(rng) for _ in cols]
            body.append(f"<tr><td>{p}</td>" +
                        "".join(f"<td>{fmt_ru(v, rng)}</td>" for v in vals) + "</tr>")
            for (m, _), v in zip(cols, vals):
                rep.claim(m, "convicts", "point", v, v, src)
        body.append("</table>")
        rep.html = ("<!doctype html><html><head><title>Вербовка в колониях по регионам</title>"
                    f"<meta name=\"date\" content=\"{date[0]}-{date[1]:02d}-{date[2]:02d}\">"
                    "</head><body><h1>Вербовка в колониях по регионам</h1>" + "".join(body) +
                    "</body></html>")
        return rep

    out = []
    if style == "wire":
        place = rng.choice(["МОСКВА", "КИЕВ", "РИГА"])
        out.append(f"{place}, {dstr} — " + fillers[0])
        for _ in range(rng.randint(3, 5)):
            src = rng.choice(sources)
            mode = rng.choice(modes)
            m, pop, text, kind, lo, hi = frame_q()
            out.append(ru_attributed(rng, text, src, mode))
            rep.claim(m, pop, kind, lo, hi, None if mode == "none" else src)
            if rng.random() < 0.4:
                out.append(rng.choice(fillers))
        rep.text = "\n\n".join(out) + "\n"
        return rep
    if style == "headline":
        m, pop, text, kind, lo, hi = frame_q(False)
        src = rng.choice(sources)
        out.append(cap_first(text))
        out.append(dstr)
        out.append(ru_attributed(rng, text, src, "po_dannym") + " " + rng.choice(fillers))
        rep.claim(m, pop, kind, lo, hi, src)
        for _ in range(rng.randint(1, 3)):
            m, pop, text, kind, lo, hi = frame_q()
            out.append(ru_attributed(rng, text, src, "po_dannym"))
            rep.claim(m, pop, kind, lo, hi, src)
        rep.text = "\n\n".join(out) + "\n"
        return rep
    if style == "telegram":
        out.append(dstr)
        src = rng.choice(sources)
        out.append(f"⚡️ Новые данные {src[4]}:")
        for _ in range(rng.randint(2, 4)):
            m, pop, text, kind, lo, hi = frame_q()
            out.append(f"— {cap_first(text)}, по данным {src[4]}")
            rep.claim(m, pop, kind, lo, hi, src)
        out.append("Подписывайтесь на канал.")
        rep.text = "\n".join(out) + "\n"
        return rep
    if style == "bulletin":
        src = rng.choice([s for s in sources if s[3] == "org"])
        out.append(f"Ежемесячный бюллетень\n{dstr}")
        out.append(f"{cap_first(src[0])} опубликовал ежемесячный подсчет. "
                   f"Данные собраны по судебным документам и рассказам родственников.")
        for _ in range(rng.randint(3, 5)):
            m, pop, text, kind, lo, hi = frame_q()
            hedge = rng.choice(["", "", "предположительно", "вероятно"])
            sent = f"По данным {src[4]}, {hedge + ', ' if hedge else ''}{text}."
            out.append(sent)
            rep.claim(m, pop, kind, lo, hi, src,
                      {"": (), "предположительно": ("reportedly",),
                       "вероятно": ("likely",)}[hedge])
        rep.text = "\n\n".join(out) + "\n"
        return rep
    if style == "statement":
        src = rng.choice([s for s in sources if s[2] == "belligerent_official"] or sources)
        out.append(f"Официальное заявление\n{dstr}")
        for k in range(rng.randint(2, 4)):
            m, pop, text, kind, lo, hi = frame_q()
            out.append(ru_attributed(rng, text, src, "po_dannym"))
            rep.claim(m, pop, kind, lo, hi, src)
        rep.text = "\n\n".join(out) + "\n"
        return rep
    out.append(f"Долгая дорога из колонии\n{dstr}")
    for _ in range(rng.randint(3, 4)):
        para = [rng.choice(fillers)]
        src = rng.choice(sources)
        m, pop, text, kind, lo, hi = frame_q()
        mode = rng.choice(["po_dannym", "before", "after"])
        para.append(ru_attributed(rng, text, src, mode))
        rep.claim(m, pop, kind, lo, hi, src)
        if rng.random() < 0.4:
            n = pick_number(rng, False)
            w = rng.choice(["в сутки", "в день", "ежедневно"])
            para.append(f"По словам {src[4]}, {w} погибают {n} заключенных.")
            rep.claim("killed", "convicts", "point", n, n, src, (), "day")
        para.append(rng.choice(fillers))
        out.append(" ".join(para))
    rep.text = "\n\n".join(out) + "\n"
    return rep


STYLES = ["wire", "longform", "bulletin", "statement", "telegram", "headline", "table"]


def write_split(lang, split, target, seed):
    rng = random.Random(seed)
    folder = os.path.join(HERE, "dev", lang, "generated-" + ("a" if split == "dev" else "b"))
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    rows = []
    idx = 0
    while len(rows) < target:
        style = STYLES[idx % len(STYLES)]
        date = (rng.choice([2023, 2024]), rng.randint(1, 12), rng.randint(1, 28))
        rep = (en_report if lang == "en" else ru_report)(rng, split, idx, style, date)
        name = f"{idx:03d}_{style}." + ("html" if style == "table" else "txt")
        with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
            f.write(rep.html if style == "table" else rep.text)
        iso = f"{date[0]}-{date[1]:02d}-{date[2]:02d}"
        for n, g in enumerate(rep.gold, 1):
            row = dict(id=f"{lang}-{split}-{idx:03d}-{n}", as_of=iso, published=iso, via="",
                       note="", url="", document=name)
            row.update(g)
            rows.append(row)
        idx += 1
    with open(os.path.join(folder, "gold.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return idx, len(rows)


def main():
    for lang in ("en", "ru"):
        for split, target, seed in (("dev", 320, 16), ("test", 180, 1616)):
            reports, claims = write_split(lang, split, target, seed + (lang == "ru"))
            print(f"{lang} {split}: {reports} reports, {claims} gold claims")


if __name__ == "__main__":
    main()
