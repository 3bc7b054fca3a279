"""Reading a question: normalised text, typos repaired against the corpus's own words, years, numbers,
indicator codes, and what it asks (flags from patterns.yaml).

Typos are repaired without a hand-kept list: a character that makes bigrams the corpus never uses,
where a homophone (same toneless pinyin) makes bigrams it does use, is the homophone ('预算之行率' →
'预算执行率', '满以度' → '满意度', '追家' → '追加').
"""

from __future__ import annotations

import re
import weakref
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from assistant.corpus import Corpus
from assistant.datafiles import load_yaml
from assistant.qa.spoken import written_numbers
from index.lexicon import expand
from index.normalize import normalize

if TYPE_CHECKING:
    from assistant.ingest import Document

_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)|(?<![\d.])(\d{2})\s*年")
_RANGE = re.compile(r"(20\d{2})\s*(?:年)?\s*(?:[-—–~至到])\s*(20\d{2})")
# a number of the question; one of a date or a period ('3月15日', '3-12月', '第2季度') is not a figure
_NUMBER = re.compile(r"(?<![\d.a-z第])(\d+(?:\.\d+)?)(?!\s*(?:年|月|日|号|季度|届|期|批|[-—~至]\s*\d+\s*月)|\d)\s*(%|分|万元|元|亿元|个|项|家|人)?")
_CODE = re.compile(r"(?<![a-z0-9])([a-h]\d{1,3})(?![0-9])")  # 'C201', 'B2' (lower case after normalising)
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


@cache
def qa_patterns() -> dict:
    return load_yaml(resources.files("assistant.qa").joinpath("patterns.yaml").read_text("utf-8"))


@cache
def _compiled() -> dict[str, dict[str, list[re.Pattern[str]]]]:
    p = qa_patterns()
    return {group: {name: [re.compile(x) for x in pats] for name, pats in p[group].items()}
            for group in ("asks", "quantity", "insists")}


# ---------------------------------------------------------------- typo repair


@dataclass
class Vocabulary:
    bigrams: Counter[str]
    trigrams: Counter[str]
    homophones: dict[str, list[str]]  # toneless pinyin → characters the corpus uses, most frequent first
    chars: Counter[str]
    sounds: dict[str, str] = field(default_factory=dict)  # character → toneless pinyin (the corpus's characters)


_VOCAB: weakref.WeakKeyDictionary[Corpus, Vocabulary] = weakref.WeakKeyDictionary()


def vocabulary(corpus: Corpus) -> Vocabulary:
    """Character bigrams of the corpus (normalised) and its characters by pinyin; built once per
    corpus (and kept in the disk cache, keyed by the documents' contents)."""
    if corpus not in _VOCAB:
        from index.cache import cached

        key = "|".join(f"{d.id}:{d.content_hash}" for d in corpus)
        _VOCAB[corpus] = cached(corpus.cache_dir, "vocab", key, lambda: _build_vocabulary(corpus))
    return _VOCAB[corpus]


def _build_vocabulary(corpus: Corpus) -> Vocabulary:
    from pypinyin import Style, lazy_pinyin

    bigrams: Counter[str] = Counter()
    trigrams: Counter[str] = Counter()
    chars: Counter[str] = Counter()
    for doc in corpus:
        texts = [doc.title, doc.unit or "", *(p.text for p in doc.paragraphs)]
        for run in _CJK_RUN.findall(normalize(" ".join(texts))):
            chars.update(run)
            bigrams.update(run[i : i + 2] for i in range(len(run) - 1))
            trigrams.update(run[i : i + 3] for i in range(len(run) - 2))
    by_sound: dict[str, list[str]] = {}
    sounds: dict[str, str] = {}
    for ch, _n in chars.most_common():
        sound = sounds[ch] = lazy_pinyin(ch, style=Style.NORMAL)[0]
        by_sound.setdefault(sound, []).append(ch)
    return Vocabulary(bigrams=bigrams, trigrams=trigrams, homophones=by_sound, chars=chars, sounds=sounds)


def sound_of(ch: str, vocab: Vocabulary) -> str:
    """Toneless pinyin of one character: from the cached vocabulary, else from pypinyin (whose
    dictionaries take most of a second to load, so a question in the corpus's characters skips it)."""
    known = vocab.sounds.get(ch)
    if known is not None:
        return known
    if not _CJK_RUN.fullmatch(ch):
        return ch
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(ch, style=Style.NORMAL)[0]


_JOINING = "的了是和与在对及或为把被给"
_FILLER = re.compile(r"^(?:[嗯呃额唔]+|那个那个|就是说)[\s，,。、]*")


@cache
def _words() -> frozenset[str]:
    """Chinese words of two characters from pypinyin's phrase list (words with a character read more
    than one way: a partial list, but of real words only) and the staff's own words (patterns.yaml)."""
    from pypinyin.phrases_dict import phrases_dict

    return frozenset(w for w in phrases_dict if len(w) == 2) | frozenset(qa_patterns()["spoken_words"])


def _is_word(pair: str) -> bool:
    return len(pair) == 2 and pair in _words()


def repair_typos(text: str, vocab: Vocabulary, keep: set[int] | None = None) -> str:
    """Replace a character whose bigrams with its neighbours the corpus never uses by the homophone
    whose bigrams (and trigrams) it uses most. Question particles and the positions in `keep` (place
    names) are left alone."""
    out = list(text)
    keep = keep or set()
    protected = set(qa_patterns()["never_repaired"])
    for m in _CJK_RUN.finditer(text):
        start, run = m.start(), m.group(0)
        for i, ch in enumerate(run):
            if len(run) < 2 or start + i in keep:
                continue
            prev = out[start + i - 1] if i > 0 else ""
            nxt = run[i + 1] if i + 1 < len(run) else ""
            left, right = vocab.bigrams.get(prev + ch, 0) if prev else None, vocab.bigrams.get(ch + nxt, 0) if nxt else None
            sides = [x for x in (left, right) if x is not None]
            if not any(x == 0 for x in sides):
                continue  # the character fits its neighbours as the corpus writes them
            if _is_word(prev + ch) or _is_word(ch + nxt):
                continue  # a word of the language the reports happen not to use ('正文', '好像')
            # one side unseen, the other seen a few times ('执性率': 性率 3): only a homophone the corpus
            # writes far more often on that side ('行率' 93) repairs it
            seen_side = max(sides) if len(sides) == 2 and max(sides) > 2 else 0
            # a particle ('之', '的') is repaired only where it fits neither neighbour and a run of three
            # characters of the corpus backs the change ('预算之行率' → '预算执行率')
            strict = ch in protected
            if strict and not (len(sides) == 2 and max(sides) == 0):
                continue
            sound = sound_of(ch, vocab)
            best, best_support = None, 0
            for cand in vocab.homophones.get(sound, []):
                if cand == ch:
                    continue
                cl = vocab.bigrams.get(prev + cand, 0) if prev else None
                cr = vocab.bigrams.get(cand + nxt, 0) if nxt else None
                # the candidate must mend the unseen side(s) and not break a seen one
                # (not by the side that only joins a particle: '的表述' is no '的标' because the corpus writes 的标)
                mended = ((left == 0 and (cl or 0) >= 3 and prev not in _JOINING)
                          or (right == 0 and (cr or 0) >= 3 and nxt not in _JOINING))
                if seen_side and ((cl or 0) if left else (cr or 0)) < 10 * seen_side:
                    continue
                broken = (left and not cl) or (right and not cr)
                prev2 = out[start + i - 2] if i > 1 else ""
                nxt2 = run[i + 2] if i + 2 < len(run) else ""
                windows = [prev2 + prev + cand, prev + cand + nxt, cand + nxt + nxt2]
                tri = sum(vocab.trigrams.get(w, 0) for w in windows if len(w) == 3)
                support = (cl or 0) + (cr or 0) + 10 * tri
                # where one side was seen, a longer run of the corpus must back the change
                backed = tri > 0 or all(x == 0 for x in sides)
                if strict and vocab.trigrams.get(prev + cand + nxt, 0) < 3:
                    continue  # a particle changes only where the corpus writes the three characters so
                if mended and not broken and backed and support > best_support:
                    best, best_support = cand, support
            if best:
                out[start + i] = best
    return "".join(out)


# ---------------------------------------------------------------- the question


@dataclass
class Question:
    raw: str
    text: str  # normalised, typos repaired
    search_text: str  # text with the English glossary expanded (for matching and keyword search)
    words_text: str = ""  # search_text as a report would word it (plain_words): what passages are scored on
    years: list[int] = field(default_factory=list)
    numbers: list[Decimal] = field(default_factory=list)  # points and plain numbers
    said_scores: list[Decimal] = field(default_factory=list)  # points it says were scored ('只得5分')
    said_deductions: list[Decimal] = field(default_factory=list)  # points it says were lost ('扣了1.5分')
    said_weights: list[Decimal] = field(default_factory=list)  # an indicator's full points ('分值3分')
    percents: list[Decimal] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)  # indicator codes, upper case ('C201')
    asks: set[str] = field(default_factory=set)
    quantity: set[str] = field(default_factory=set)
    insists: set[str] = field(default_factory=set)  # kinds of number without which nothing answers it
    follow_up: bool = False
    quoted: list[str] = field(default_factory=list)  # terms it quotes, normalised, without spaces; not report names
    path_terms: list[str] = field(default_factory=list)  # the levels of a quoted path ('“产出指标—数量指标”')

    def has(self, *flags: str) -> bool:
        return any(f in self.asks for f in flags)

    def fits_points(self, score: Decimal | None, deduction: Decimal | None, weight: Decimal | None = None) -> bool:
        """Whether a record's points are those the question states: each by its role where it says one
        ('拿了0分' a score, '扣了1分' a deduction, '分值3分' its full points), else any of its numbers as
        either a score or a deduction."""
        if self.said_scores or self.said_deductions:
            return (all(score == s for s in self.said_scores)
                    and all(deduction == d for d in self.said_deductions)
                    and all(weight == w for w in self.said_weights))
        nums = set(self.numbers)
        return bool(nums) and (deduction in nums or score in nums)


# '对2021年度“创新驱动与产业服务”项目（以下简称“本项目”）…': the report's own name for what it evaluates
_THIS_PROJECT = re.compile(r"“([^”]{2,40})”(?:项目|资金|专项)?\s*[（(]以下简称[“\"]?本(?:项目|专项|资金)")


_ALIASES: dict[tuple[str, ...], frozenset[str]] = {}


def _project_aliases(docs: list[Document]) -> frozenset[str]:
    key = tuple(f"{d.id}:{d.content_hash}" for d in docs)
    if key not in _ALIASES:
        _ALIASES[key] = frozenset(re.sub(r"\s", "", normalize(m.group(1))) for d in docs for p in d.paragraphs[:40]
                                  for m in _THIS_PROJECT.finditer(p.text))
    return _ALIASES[key]


_TITLE_YEARS = re.compile(r"20\d\d\s*(?:[-—–~至]\s*20\d\d)?\s*年?度?")
_TITLE_KIND = re.compile(r"(?:项目)?(?:支出)?绩效(?:自?评价|自评)(?:报告)?$|部门(?:整体)?(?:预算|决算)$")
# '满意度为94.65%，…回收了多少份': a figure the question gives is not the kind of number it asks for
_GIVEN = re.compile(r"\d[\d,]*(?:\.\d+)?\s*(?:[%％]|万元|亿元|元)")
_NAME_RUN = 6
_AS_DOCUMENT = re.compile(r"部门(?:整体)?(?:预算|决算)(?:报告)?(?=中|里|报告|显示|写|说|提到|对|关于)"
                          r"|(?:那|这|该)份(?:部门)?(?:预算|决算)(?:报告)?(?=中|里)")  # '那份预算里': the document
_AS_REPORT = r"(?:的)?(?:绩效)?(?:评价|自评|报告)"  # a shorter run ('专项资金') is the question's own word as often as the report's name


_PROJECTS: dict[tuple[str, ...], tuple[str, ...]] = {}


def project_names(docs: list[Document]) -> tuple[str, ...]:
    """The reports' project names (a title without its years and kind, and the name a report gives
    what it evaluates), six characters or more; read once per set of reports."""
    key = tuple(f"{d.id}:{d.content_hash}" for d in docs)
    if key not in _PROJECTS:
        names = {_TITLE_KIND.sub("", _TITLE_YEARS.sub("", re.sub(r"\s", "", normalize(d.title)))) for d in docs}
        _PROJECTS[key] = tuple(sorted(p for p in names | _project_aliases(docs) if len(p) >= _NAME_RUN))
    return _PROJECTS[key]


def _without_project_names(text: str, corpus: Corpus) -> str:
    """The text with any run of at least six characters of a report's project name blanked
    ('省级职业技能竞赛经费', '经济与科技发展专项资金', '创新驱动产业服务'), or of three where the question
    names the report by it ('专项资金绩效评价报告')."""
    out = _AS_DOCUMENT.sub(lambda m: " " * len(m.group(0)), text)  # '部门决算中…怎么写的': the document, no amount
    for name in project_names(list(corpus)):
        for n in range(len(name), 2, -1):
            runs = {name[i : i + n] for i in range(len(name) - n + 1)}
            # a shorter run counts where the report is named by it ('专项资金绩效评价报告')
            hit = next((r for r in runs if r in out and (n >= _NAME_RUN or re.search(re.escape(r) + _AS_REPORT, out))), None)
            if hit:
                out = out.replace(hit, " " * len(hit))
                break
    return out


# 'What "low-level error" did…': English words quoted are looked up through the glossary, never printed as such
_ENGLISH_WORDS = re.compile(r"^[a-z][a-z\s'-]*$", re.IGNORECASE)
# '“产出指标—数量指标”': a path of levels, each printed in its own cell
_PATH_STEP = re.compile(r"\s*(?:[—–－>＞/／]+|(?<=指标)-)\s*")
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]+)[”\"」』]")
QUOTE_MARKS = re.compile(r"[“”‘’\"'「」『』]")


_TABLE_NUMBER = re.compile(r"(?:附?表|附件|table|annex)\s*\d+(?:\s*[-－.]\s*\d+)*", re.I)


def bare(text: str) -> str:
    """A text without whitespace and quotation marks: ‘三公’ and “三公” and 三 公 compare equal."""
    return re.sub(r"\s", "", QUOTE_MARKS.sub("", text))


def _years(text: str) -> list[int]:
    out: list[int] = []
    for m in _RANGE.finditer(text):
        a, b = int(m.group(1)), int(m.group(2))
        if 2000 <= a <= b <= 2100 and b - a <= 10:
            out += [y for y in range(a, b + 1) if y not in out]
    for m in _YEAR.finditer(text):
        y = int(m.group(1)) if m.group(1) else 2000 + int(m.group(2))
        if 2000 <= y <= 2100 and y not in out:
            out.append(y)
    return out


def _unseen_bigram(text: str, vocab: Vocabulary) -> bool:
    return any(run[i : i + 2] not in vocab.bigrams for run in _CJK_RUN.findall(text) for i in range(len(run) - 1))


def repair_terms(text: str, vocab: Vocabulary, keep: set[int] | None = None) -> str:
    """A real word where a scoring term sounds the same, in a question about scores ('分数和登记' → '等级'):
    the term, when the corpus writes the word at most a fifth as often as the term."""
    pats = qa_patterns()
    if not re.search(pats["scoring_context"], text):
        return text
    for term in pats["scoring_terms"]:
        if term in text:
            continue
        sound = tuple(sound_of(ch, vocab) for ch in term)
        for i in range(len(text) - len(term) + 1):
            window = text[i : i + len(term)]
            kept = bool((keep or set()) & set(range(i, i + len(term))))
            if (window != term and not kept and _CJK_RUN.fullmatch(window)
                    and tuple(sound_of(ch, vocab) for ch in window) == sound
                    and 5 * vocab.bigrams.get(window, 0) <= vocab.bigrams.get(term, 0)):
                text = text[:i] + term + text[i + len(term) :]
    return text


def repair_places(text: str, places: set[str], vocab: Vocabulary) -> str:
    """'龙港' → '龙岗', '罗胡' → '罗湖': a window that sounds like a place of the corpus is that place."""
    by_sound: dict[tuple[str, ...], str] = {}
    for p in sorted(places):
        by_sound.setdefault(tuple(sound_of(ch, vocab) for ch in p), p)
    sounds = [sound_of(ch, vocab) for ch in text]
    out = text
    for n in sorted({len(k) for k in by_sound}, reverse=True):
        for i in range(len(text) - n + 1):
            place = by_sound.get(tuple(sounds[i : i + n]))
            window = out[i : i + n]
            if (place and window != place and vocab.bigrams.get(window, 0) == 0
                    and sum(a != b for a, b in zip(window, place, strict=True)) == 1):
                out = out[:i] + place + out[i + n :]
    return out


_A_NOT_A = re.compile(r"([\u4e00-\u9fff])[不没]\1")
_PARTICLES = "得了地着过"


_SHARED_END = re.compile(r"([一二三四五六七八九十])((?:[、和及与][一二三四五六七八九十])+)(级|类|季度|届|期)")


def plain_words(text: str, vocab: Vocabulary) -> str:
    """The words a question asks about, said the way a report says them: '及不及时' → '及时' (a yes-or-no
    form), and a particle after a word the corpus never writes it after ('发得及时': 发得) is dropped, so
    that neither lends the question bigrams no passage has ('得及', '不及'); chatter (patterns.yaml) goes too."""
    text = _A_NOT_A.sub(r"\1", text)
    # '一、二、三级指标' says 一级、二级、三级 (each of which a report writes)
    text = _SHARED_END.sub(lambda m: "、".join(n + m.group(3) for n in re.split(r"[、和及与]", m.group(1) + m.group(2))), text)
    for pattern in qa_patterns()["chatter"]:
        text = re.sub(pattern, " ", text)
    chars = list(text)
    for i in range(1, len(chars)):
        if chars[i] in _PARTICLES and chars[i - 1] + chars[i] not in vocab.bigrams and "\u4e00" <= chars[i - 1] <= "\u9fff":
            chars[i] = " "
    return "".join(chars)


def understand(question: str, corpus: Corpus, held_places: set[str] | None = None,
               known_places: set[str] | None = None) -> Question:
    """`held_places`: the corpus's places (a misspelt one is repaired); `known_places`: every place
    name (never 'repaired' as a typo)."""
    text = written_numbers(normalize(question.strip()))  # '二零二一年', '百分之九十' as the reports print them
    text = _FILLER.sub("", text) or text  # '嗯那…': voice input's hesitation before the question
    vocab = vocabulary(corpus)
    if _unseen_bigram(text, vocab):  # text the corpus writes the same way has nothing to repair
        if held_places:
            text = repair_places(text, held_places, vocab)
        words = (known_places or set()) | (held_places or set()) | set(qa_patterns()["staff_words"])
        keep = {i for p in words for m in re.finditer(re.escape(p), text) for i in range(m.start(), m.end())}
        text = repair_typos(text, vocab, keep)
        text = repair_terms(text, vocab, keep)
    search = expand(text)
    q = Question(raw=question, text=text, search_text=search, words_text=expand(plain_words(text, vocab)), years=_years(text))
    for m in _NUMBER.finditer(_TABLE_NUMBER.sub(" ", text)):  # '表1-1' names a table, states no figure
        value, unit = m.group(1), m.group(2)
        if len(value) == 4 and value.startswith("20") and unit is None:
            continue  # a year
        if unit == "%":
            q.percents.append(Decimal(value))
        elif unit in (None, "分"):
            q.numbers.append(Decimal(value))
    q.codes = [c.upper() for c in _CODE.findall(text)]
    said = qa_patterns()["said_points"]
    q.said_scores = [Decimal(m.group(1)) for p in said["score"] for m in re.finditer(p, text)]
    q.said_deductions = [Decimal(m.group(1)) for p in said["deduction"] for m in re.finditer(p, text)]
    q.said_weights = [Decimal(m.group(1)) for p in said["weight"] for m in re.finditer(p, text)]
    pats = _compiled()
    q.asks = {name for name, rx in pats["asks"].items() if any(r.search(search) for r in rx)}
    # '河南职业技能竞赛经费…奖金发放的问题': the 经费 of a report's own name asks for no amount
    unnamed = _GIVEN.sub(" ", _without_project_names(search, corpus))
    q.quantity = {name for name, rx in pats["quantity"].items() if any(r.search(unnamed) for r in rx)}
    q.insists = {name for name, rx in pats["insists"].items() if any(r.search(search) for r in rx)}
    # a quoted term is what the question asks about, unless it is a report's own name ('“创新驱动产业服务”项目')
    names = [re.sub(r"\s", "", normalize(d.header)) for d in corpus] + list(_project_aliases(list(corpus)))
    quotes = _QUOTED.findall(question) + _QUOTED.findall(text)
    if len(re.findall(r"[a-zA-Z]", question)) > 2 * len(re.findall(r"[\u4e00-\u9fff]", question)):
        # 'How many budgeted staff (编制数) …': an English question's Chinese terms in brackets are what it asks about
        quotes += re.findall(r"[（(]([\u4e00-\u9fff]{2,12})[）)]", question)
    steps = [_PATH_STEP.split(x) for x in quotes]
    q.path_terms = [bare(normalize(p)) for parts in steps if len(parts) > 1 for p in parts if p.strip()]
    q.quoted = [t for t in dict.fromkeys(bare(normalize(parts[0])) for parts in steps if len(parts) == 1)
                if 2 <= len(t) <= 60 and not any(t in n for n in names) and not _ENGLISH_WORDS.match(t)]
    q.follow_up = (len(text) <= 24 and any(re.search(p, text) for p in qa_patterns()["follow_up"] + qa_patterns()["narrows_last"])) or any(
        re.search(p, text) for p in qa_patterns()["refers_back"])
    return q
