"""Which reports a question is about, from the reports' own metadata: places of their units and
titles, unit names and their short forms, the distinctive words of their titles, years, kinds.

A question that names a place, a unit or a year the corpus holds no report of is declined, never
answered from another report. A question that names no report is about every report (the answer
says which it comes from).
"""

from __future__ import annotations

import math
import re
import weakref
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from assistant.corpus import Corpus
from assistant.datafiles import load_yaml
from assistant.ingest import Document
from assistant.qa.entities import coded_in
from assistant.qa.understand import Question, project_names, qa_patterns
from index.normalize import normalize

_PLACE_SUFFIX = re.compile(r"([\u4e00-\u9fff]{2,4}?)(?:省|自治区|特别行政区)")
_CITY_SUFFIX = re.compile(r"([\u4e00-\u9fff]{2,3}?)(?:市)")
_DISTRICT_SUFFIX = re.compile(r"([\u4e00-\u9fff]{2,3}?)(?:区|县)")
_JOINERS = re.compile(r"[与和及、\s]")  # '创新驱动与产业服务' is named '创新驱动产业服务'
_ORG_CORE = re.compile(r"[\u4e00-\u9fff]{2,6}(?:局|厅|委员会|院|办公室|办公厅)$")
_ORG = re.compile(r"([\u4e00-\u9fff]{2,12}?(?:局|厅|委员会|检察院|检查院|法院|办公室|办公厅))")
_DEMONSTRATIVE = re.compile(r"(?:那个|这个|那家|这家|那边的?|这边的?|那|这)(?=(?:局|厅|委员会|院|办公室|办公厅)$)")


@cache
def _places_file() -> dict:
    return load_yaml(resources.files("assistant.qa").joinpath("places.yaml").read_text("utf-8"))


@cache
def gazetteer() -> set[str]:
    raw = _places_file()
    names = set(raw["provinces"]) | set(raw["cities"])
    for city, districts in raw["districts"].items():
        names.add(city)
        names |= set(districts)
    return names


@cache
def broad_places() -> set[str]:
    """Provinces and cities: a place that holds districts."""
    raw = _places_file()
    return set(raw["provinces"]) | set(raw["cities"]) | set(raw["districts"])


def _narrow(place: str, text: str) -> bool:
    """A district or county ('南山', '静安区'), not a province or city."""
    return place not in broad_places() and (place in gazetteer() or bool(re.search(re.escape(place) + "[区县]", text)))


def _pinyin(word: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(word, style=Style.NORMAL))


@dataclass
class Identity:
    doc: Document
    places: set[str] = field(default_factory=set)
    units: set[str] = field(default_factory=set)  # unit names without places, and their short forms
    years: set[int] = field(default_factory=set)
    title_bigrams: dict[str, float] = field(default_factory=dict)  # distinctive bigram → weight


def places_in(text: str) -> set[str]:
    """Places named in a text: the gazetteer's, and names followed by 省/市/区/县 (cut after any
    place suffix before them: '深圳市罗湖区' gives 罗湖, not 市罗湖)."""
    found = {p for p in gazetteer() if p in text}
    for rx in (_PLACE_SUFFIX, _CITY_SUFFIX, _DISTRICT_SUFFIX):
        for m in rx.finditer(text):
            name = re.split(r"[省市区县年的和与在]", m.group(1))[-1]
            if re.search(r"[第届期次批]", name):
                continue  # '河南第三届省赛': an ordinal, not a place before 省
            before = text[m.start() - 1] if m.start() > 0 else ""
            if rx is _PLACE_SUFFIX and "\u4e00" <= before <= "\u9fff" and before not in "在和与的及、是省市到去":
                continue  # '河南报告说省赛': a word's tail ('南报告说'), not a province (those are in the gazetteer)
            if len(name) >= 2 and not any(name in g and name != g for g in found):
                found.add(name)
    return {p for p in found if len(p) >= 2 and not any(p != o and p in o and len(o) <= 4 for o in found)}


def _strip_places(name: str, places: set[str]) -> str:
    for p in sorted(places, key=len, reverse=True):
        name = re.sub(re.escape(p) + r"(?:省|市|区|县)?", "", name)
    return name.strip("（）() ")


def doc_years(doc: Document) -> set[int]:
    if not doc.year:
        return set()
    parts = [int(p) for p in doc.year.split("-")]
    return set(range(parts[0], parts[-1] + 1))


_IDS: weakref.WeakKeyDictionary[Corpus, list[Identity]] = weakref.WeakKeyDictionary()


def identities(corpus: Corpus) -> list[Identity]:
    """Each report's identity, computed once per corpus."""
    if corpus in _IDS:
        return _IDS[corpus]
    abbrev = qa_patterns()["unit_abbreviations"]
    generic = qa_patterns()["generic_title_words"]
    out = []
    for doc in corpus:
        unit = normalize(doc.unit or "")
        title = normalize(" ".join(x for x in (doc.title, doc.subject or "") if x))
        ident = Identity(doc=doc, places=places_in(unit) | places_in(title), years=doc_years(doc))
        core = _strip_places(unit, ident.places) if unit else ""
        if core:
            ident.units.add(core)
            for full, shorts in abbrev.items():
                if core.endswith(full):
                    ident.units |= set(shorts)
                    ident.units.add(full)
        text = title
        for p in ident.places | {core} | set(generic):
            if p:
                text = text.replace(p, " ")
        text = re.sub(r"\d+|[^\u4e00-\u9fff]", " ", text)
        bigrams = {run[i : i + 2] for run in text.split() for i in range(len(run) - 1)}
        ident.title_bigrams = dict.fromkeys(bigrams, 1.0)
        out.append(ident)
    # a bigram shared by many titles says little about which report is meant
    n = len(out)
    for ident in out:
        for b in ident.title_bigrams:
            df = sum(1 for other in out if b in other.title_bigrams)
            ident.title_bigrams[b] = math.log(1 + n / df) if n > 1 else 1.0
    _IDS[corpus] = out
    return out


def corpus_places(corpus: Corpus) -> set[str]:
    return {p for ident in identities(corpus) for p in ident.places}


@dataclass
class Scope:
    docs: list[Document]
    named: bool  # the question names its report(s); else every report is in scope
    unheld: str | None = None  # what the question names that the corpus has no report of
    matched: dict[str, list[str]] = field(default_factory=dict)  # doc id → the words that named it
    distinct: bool = False  # several reports, each named by words of its own (side by side)
    nearest: list[Document] = field(default_factory=list)  # for a decline: the reports it did name


_APOSTROPHE = re.compile(r"(?<=[a-z])['’-](?=[a-z])")  # inside a pinyin name: "bao'an" is baoan


def _english_places(text: str, places: set[str]) -> set[str]:
    """'Futian', 'Henan', 'Putuo', "Bao'an", 'Xi’an' → the places they spell."""
    words = set(re.findall(r"[a-z]+", text)) | set(re.findall(r"[a-z]+", _APOSTROPHE.sub("", text)))  # "futian's" too
    if not words:
        return set()
    words |= {w[:-1] for w in words if w.endswith("s") and len(w) > 4}  # 'Futians budget' (a possessive, no apostrophe)
    return {p for p in places if _pinyin(p) in words}


def resolve(q: Question, corpus: Corpus) -> Scope:
    ids = identities(corpus)
    held = corpus_places(corpus)
    text = q.text
    mentioned = places_in(text) | _english_places(text, gazetteer() | held)
    # a place inside another place's name ('河南省' in '河南') counts once
    mentioned = {p for p in mentioned if not any(p != o and p in o for o in mentioned)}
    unheld_places = {p for p in mentioned if not any(p in h or h in p for h in held)}
    held_mentioned = mentioned - unheld_places
    if held_mentioned and all(p in broad_places() for p in held_mentioned) and any(_narrow(p, text) for p in unheld_places):
        held_mentioned = set()  # '深圳市南山区…': the district is what is named, the city only says where it is

    # a unit's name is counted as the unit: its words ('创新' of 科技创新局) do not also name a title
    bare = text
    for u in sorted({u for i in ids for u in i.units if u}, key=len, reverse=True):
        bare = bare.replace(u, " ")
    scores: dict[str, float] = {}
    matched: dict[str, list[str]] = {}
    strong: set[str] = set()  # named by a place or its title's words, not only by a unit name many share
    for ident in ids:
        words: list[str] = []
        score = 0.0
        for p in ident.places:
            if p in held_mentioned or any(p in m or m in p for m in held_mentioned):
                score += 3
                words.append(p)
        units = [u for u in ident.units if u and u in text]
        if units:
            score += 2
            words.append(max(units, key=len))
        # the name a report gives what it evaluates ('罗湖创新驱动产业服务项目'): that report, though its
        # place is another report's too
        project = next((name for name in project_names([ident.doc]) if not re.search(r"报告$|局$|厅$|院$", name)
                        and _JOINERS.sub("", name) in _JOINERS.sub("", bare)), None)
        if project:
            score += 2
            words.append(project)
        title_hits = [w for b, w in ident.title_bigrams.items() if b in bare]
        if len(title_hits) >= 2 and sum(title_hits) >= 2.5:
            score += sum(title_hits)
            words.append("标题")
        if score:
            scores[ident.doc.id] = score
            matched[ident.doc.id] = words
            if score > 2 or any(w not in ident.units for w in words):
                strong.add(ident.doc.id)
    named = [i for i in ids if i.doc.id in scores]
    if any(i.doc.id in strong for i in named):
        named = [i for i in named if i.doc.id in strong]
    compared = {p for p in held_mentioned if p not in broad_places()}  # '上海市静安区…和普陀比': 上海 only says where
    if unheld_places and compared and all(_compared_place(text, p) for p in compared) and any(
            re.search(re.escape(p) + r"(?:省|市|区|县)?[\u4e00-\u9fff]{0,10}?(?:局|厅|委员会|院|办公室)", text) for p in unheld_places):
        # '静安区财政局2024年“三公”经费决算是多少？和普陀比哪个高？': the unit asked about is not held; the
        # one held is only what it would be compared with
        return Scope(docs=[], named=True, unheld=f"{'、'.join(sorted(unheld_places))}的报告",
                     nearest=[i.doc for i in ids if any(p in h or h in p for p in compared for h in i.places)])
    if unheld_places and not held_mentioned:
        # a place no report is from may still be one a report writes about ('郑州举办第一届省赛'), but
        # not when the question names a unit there ('宝安区科技创新局的…')
        flat = _APOSTROPHE.sub("", text)  # "Bao'an District … Bureau"
        owner = any(re.search(re.escape(p) + r"(?:省|市|区|县)?[\u4e00-\u9fff]{0,10}?(?:局|厅|委员会|院|办公室)", text)
                    # '山东省职业技能竞赛经费绩效评价得了多少分': a report of that place, not one written about it
                    or re.search(re.escape(p) + r"(?:省|市|区|县)?[\u4e00-\u9fff]{0,14}?(?:绩效评价|评价报告|绩效自评|部门预算|部门决算|决算报告)", text)
                    or any(re.search(rf"\b{_pinyin(p)}\b[a-z ]{{0,60}}?\b(?:bureau|department|office|commission|court|procuratorate)",
                                     t) for t in (text, flat))
                    for p in unheld_places)
        inside = [] if owner else [d for d in corpus if any(p in " ".join(x.text for x in d.paragraphs) for p in unheld_places)]
        if not inside:
            return Scope(docs=[], named=True, unheld=f"{'、'.join(sorted(unheld_places))}的报告")
        return Scope(docs=inside, named=False)
    org = _unheld_org(text, ids)
    if org and (not named or org_is_distinct(org, named)):
        return Scope(docs=[], named=True, unheld=f"{org}的报告")
    years = set(q.years)
    if named:
        if years:
            in_years = [i for i in named if i.years & years]
            if not in_years:
                where = "、".join(sorted({w for i in named for w in matched[i.doc.id] if w != "标题"})) or "所指单位"
                return Scope(docs=[], named=True, unheld=f"{where}{'、'.join(str(y) for y in sorted(years))}年的报告",
                             nearest=[i.doc for i in named])
            # '福田2022年度自评得分是多少？比2021年高还是低？': the year asked for is not held; the one held is
            # only what it would be compared with
            missing = {y for y in years if _report_year(text, y) and not any(y in i.years for i in named)}
            if missing and all(_compared_year(text, y) for y in years - missing):
                where = "、".join(sorted({w for i in named for w in matched[i.doc.id] if w != "标题"})) or "所指单位"
                return Scope(docs=[], named=True, unheld=f"{where}{'、'.join(str(y) for y in sorted(missing))}年的报告",
                             nearest=[i.doc for i in named])
            # a report named by its own words stays even when the year is another report's ('龙岗…和福田2021…')
            named = in_years + [i for i in named if i not in in_years and _distinct(i, in_years + [i], matched)]
        kind = _unheld_kind(text, named)
        if kind:
            where = "".join(dict.fromkeys(w for i in named for w in matched[i.doc.id] if w != "标题")) or "所指单位"
            when = "、".join(str(y) for y in sorted(years)) + "年" if years else ""
            return Scope(docs=[], named=True, unheld=f"{where}{when}的{kind}", nearest=[i.doc for i in named])
        # keep the reports the question names best; a report named only by a shared place drops out
        top = max(scores[i.doc.id] for i in named)
        keep = [i for i in named if scores[i.doc.id] >= top - 1e-9 or _distinct(i, named, matched)]
        if len(keep) > 1 and not any(_distinct(i, keep, matched) for i in keep):
            # named alike ('罗湖' for two reports): the kind of report the question speaks of decides
            kinds = {k for hint, ks in qa_patterns()["kind_hints"].items() if hint in text for k in ks}
            of_kind = [i for i in keep if i.doc.kind in kinds]
            if of_kind:
                # '2020年部门预算里安排了多少，2021年项目里实际付了多少': a year the kind's reports do not
                # cover keeps the report of that year
                left = years - {y for i in of_kind for y in i.years}
                keep = of_kind + [i for i in keep if i not in of_kind and i.years & left and len(years) >= 2]
        left = years - {y for i in keep for y in i.years}
        if len(years) >= 2 and left:  # '…2020年部门预算安排了多少，2021年年初预算又是多少': each year's report
            keep += [i for i in named if i not in keep and i.years & left]
        return Scope(docs=[i.doc for i in keep], named=True, matched={i.doc.id: matched[i.doc.id] for i in keep},
                     distinct=len(keep) > 1 and all(_distinct(i, keep, matched) for i in keep))
    coded = coded_in(q.codes, list(corpus)) if q.codes else []
    if coded and len(coded) < len(ids):  # 'B201预算执行率指标的评分标准': the report whose table prints B201
        return Scope(docs=coded, named=True, matched={d.id: [c for c in q.codes] for d in coded})
    if years:
        in_years = [i.doc for i in ids if i.years & years]
        if not in_years and _year_is_report_year(q):
            return Scope(docs=[], named=True, unheld=f"{'、'.join(str(y) for y in sorted(years))}年的报告")
        if in_years:
            return Scope(docs=in_years, named=False)
    return Scope(docs=list(corpus), named=False)


def _unheld_kind(text: str, named: list[Identity]) -> str | None:
    """'罗湖2021年部门预算', '罗湖2020年度部门决算': a kind of report the question names that none of its
    reports is, nor speaks of (an evaluation that discusses the 部门预算 still answers about it)."""
    for word in qa_patterns()["report_kinds"]:
        if word in text and not any(i.doc.kind == word or word in " ".join(p.text for p in i.doc.paragraphs)
                                    for i in named):
            return word
    for pattern, kind in qa_patterns()["evaluation_kinds"].items():
        if re.search(pattern, text) and not any(i.doc.kind == kind or re.search(pattern, re.sub(r"\s", "", i.doc.title))
                                                for i in named):
            return kind
    return None


def _distinct(ident: Identity, named: list[Identity], matched: dict[str, list[str]]) -> bool:
    """A report named by words no better-scored report shares (two reports named side by side)."""
    mine = set(matched[ident.doc.id])
    others = set().union(*(set(matched[o.doc.id]) for o in named if o is not ident)) if len(named) > 1 else set()
    return bool(mine - others - {"标题"})


_REPORT_WORDS = r"(?:部门|整体|绩效|评价|自评|报告|得分|总分|综合得分|决算|预算)"


def _report_year(text: str, year: int) -> bool:
    """'2022年度部门整体支出自评得分': the year names a report (of that year), not a figure inside one."""
    return bool(re.search(rf"{year}\s*年(?:度)?(?:的)?[\u4e00-\u9fff]{{0,4}}?{_REPORT_WORDS}", text))


def _compared_year(text: str, year: int) -> bool:
    """'比2021年高还是低': a year named only as what another is compared with."""
    return bool(re.search(rf"(?:比|较|相比|对比|比较|跟|同)\s*{year}\s*年", text))


def _compared_place(text: str, place: str) -> bool:
    """'和普陀比', '比普陀高', '与普陀相比': a place named only as what another is compared with."""
    p = re.escape(place)
    return bool(re.search(rf"(?:和|与|跟|同|比|较)\s*{p}(?:省|市|区|县)?[\u4e00-\u9fff]{{0,6}}?(?:比|相比|比较|对比|高|低|多|少)", text)
                or re.search(rf"比\s*{p}", text))


def _year_is_report_year(q: Question) -> bool:
    """'2022年的报告/得分/评价' asks for a report of that year; '2019年支持了多少项' may be data inside one."""
    return bool(re.search(r"年(?:度)?(?:的)?(?:部门|整体|绩效|评价|自评|报告|得分|总分|综合得分|决算|预算)", q.text))


def _unheld_org(text: str, ids: list[Identity]) -> str | None:
    """A unit the question names ('普陀区生态环境局') that no report of the corpus is from."""
    units = {u for i in ids for u in i.units if u}
    for m in _ORG.finditer(text):
        # '福田科技和工业信息化那个局': a unit described, the demonstrative is not part of its name
        org = _DEMONSTRATIVE.sub("", m.group(1))
        if any(org.endswith(w) for w in qa_patterns()["not_units"]):
            continue
        if any(u in org for u in units) or any(org.endswith(u[-3:]) and len(u) >= 3 for u in units if u in org):
            continue
        core = _ORG_CORE.search(org)
        if core and not any(core.group(0) in u or u in core.group(0) for u in units):
            return org
    return None


def org_is_distinct(org: str, named: list[Identity]) -> bool:
    return not any(u in org for i in named for u in i.units if u)


def doc_place(doc: Document) -> str | None:
    """The most specific place of a report's unit ('罗湖' rather than '深圳'), for short labels."""
    places = places_in(normalize(doc.unit or doc.title))
    return min(places, key=lambda p: (p in gazetteer() and p in {"深圳", "上海", "北京", "广州"}, -len(p))) if places else None
