"""Extractive evidence: the sentences and table rows of the top passages that answer a question,
scored by how much of what it asks about they cover (after normalisation), whether they carry the
kind of number it asks for (money for 多少钱/预算, % for 率, 分 for 得分, counts for 多少个), the years
and numbers it names, and the search rank. Quoted verbatim; never composed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.ingest import Document
from assistant.ingest.patterns import SENTENCE
from assistant.qa.scope import Identity, identities
from assistant.qa.understand import QUOTE_MARKS, Question, bare, project_names, qa_patterns
from index.normalize import normalize
from index.passages import column_headings

if TYPE_CHECKING:
    from assistant.api import Session
    from index.store import SearchHit

# (a bare decimal is a table's amount, not points: '产出指标19.88分')
_MONEY = re.compile(r"\d[\d,]*(?:\.\d+)?\s*(?:万元|亿元|元)|(?<![\d.])\d{1,3}(?:,\d{3})*\.\d{2}(?![\d%]|\s*分)")
_PERCENT = re.compile(r"\d+(?:\.\d+)?\s*[%％]")
# measure words of counted things (项 and 人 apart: they also start words, 项目, 人员)
_MEASURES = "个家份届次名场件篇批台所辆位座套"
_COUNT = re.compile(rf"\d+\s*(?:人次|人|项|[{_MEASURES}])")
# a numbered list ('序号 单位名称 … 1 上海市… 2 上海市…') counts the things it lists ('有几个下属单位')
_NUMBERED_LIST = re.compile(r"序号.{0,40}?1\s*[\u4e00-\u9fff].{2,60}?2\s*[\u4e00-\u9fff]")
_HOW_MANY_OF = re.compile(rf"(?:几|多少)(?:[{_MEASURES}]|项(?!目)|人(?!员|才|民))(?![一二三四五六七八九十])")
_ASKS_HOW_MANY_THINGS = re.compile(r"几个|多少个|几家|多少家|几项|多少项")
_POINTS = re.compile(r"\d+(?:\.\d+)?\s*分")
_MEASURE = re.compile(r"(?:多少|几)(件|份|人次|人|篇|所|届|场|名)")  # counted things a count must be in
_BOUNDED = re.compile(r"[≥≤><＞＜]\s*=?\s*\d[\d,.]*")  # a target's bound, not a value
# a rule's bounds, not a value: '90%≤满意度＜95%的', '≥ 95%', '95%以上'
RULE_BOUNDS = re.compile(r"[≥≤<>＞＜]\s*=?\s*\d+(?:\.\d+)?\s*[%％]|\d+(?:\.\d+)?\s*[%％]\s*(?:[≥≤<>＞＜]|及?以[上下内])")
_ASKS_TARGET = re.compile(r"目标|计划|预期|指标值|target|plan")
_TARGET_VALUE = re.compile(r"[=＝≥≤]\s*\d+(?:\.\d+)?\s*[%％]")
_RULE_TEXT = re.compile(r"得\s*\d+(?:\.\d+)?\s*分|扣\s*\d|满分|不得分|[≥≤<>＞＜]")
_AS_EXECUTION = re.compile(r"完成[\u4e00-\u9fff]{0,4}预算的?\d+(?:\.\d+)?%")  # '完成年初预算的98.20%' is an execution rate
_RATE_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}率|满意度")
_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
                   r"|\d{1,2}\s*月(?:底|末|初|上旬|中旬|下旬)前?")  # '（8 月底前）': a deadline of any year
_CJK = re.compile(r"[\u4e00-\u9fff]+")
_PER = re.compile(r"每(?:个)?(月|年|人|场|届|项|家|次)")
_ASKS_TOTAL = re.compile(r"总共|一共|总计|合计|总额|总数|总规模|in total")
# a whole is the figure its parts follow ('共安排预算资金13534.70万元，其中2021年为…')
_TOTAL = re.compile(r"总计|合计|总额|总数|共计|总规模|\d\s*(?:万元|亿元|元|个|项|人|家)?\s*[，,]?\s*其中")


@dataclass
class Unit:
    """A sentence or a table row of a retrieved passage, with its score for the question."""

    hit: SearchHit
    text: str  # verbatim
    score: float
    cover: float
    covered: frozenset[str]
    rank: int
    carried: str = ""  # the row whose leading cells this row leaves to it (a cell spanning rows), verbatim


def bigrams(text: str) -> set[str]:
    # quotation marks inside a name ('“三公”经费') do not cut it: 公经 is one of its bigrams
    return {run[i : i + 2] for run in _CJK.findall(QUOTE_MARKS.sub("", normalize(text))) for i in range(len(run) - 1)}


_COMPARED = re.compile(r"(?:比|较|与|同|对比|相比)\s*(?:上年|去年)?\s*20\d{2}\s*年度?")
_CAPTION = re.compile(r"单位\s*[：:]\s*(?:万元|元|亿元|人|个)\s*$")
_TABLE_LIST = re.compile(r"(?:\d{1,2}\s*[.、．]\s*[^\d。；]{2,24}表\s*){3,}")


def content_bigrams(q: Question, idents: list[Identity]) -> set[str]:
    """What the question asks about: its Chinese words minus question words and the words that only
    say which report (places and units of the reports in scope)."""
    text = q.words_text or q.search_text
    # '几辆公车': the measure word goes with 几, else it joins the thing counted ('辆公', a bigram no report has)
    text = _HOW_MANY_OF.sub(" ", text)
    removable = list(qa_patterns()["question_words"]) + ["绩效", "评价", "报告", "自评", "年度"]
    for ident in idents:
        removable += [*(p + sfx for p in ident.places for sfx in ("省", "市", "区", "县", "")), *ident.units]
    for word in sorted(set(removable) - {"年"}, key=len, reverse=True):
        if word:
            text = text.replace(word, " ")
    text = re.sub(r"(?<![全当上本去今明跨])年(?![初末中底])", " ", text)  # '2024年' says when; 全年, 年初 say what
    text = re.sub(r"\d+(\.\d+)?%?|[a-z]+", " ", text)
    want = bigrams(text)
    # the words of a report's title only say which report ('龙岗专项资金'), not what is asked
    for ident in idents if len(idents) <= 3 else []:
        title = {b for b in ident.title_bigrams if b in q.text}
        if len(title) >= 2 and len(want - title) >= 2:
            want -= title
    # nor the name the report gives its project ('创新驱动项目的调剂规模': not the row 创新驱动经费)
    if 0 < len(idents) <= 3:
        named = bigrams(" ".join(project_names([i.doc for i in idents])))
        if len(want & named) >= 2 and len(want - named) >= 2:
            want -= named
    return want


def _units(hit: SearchHit) -> list[str]:
    """Sentences of a paragraph; rows of a table (a long row, whose cells are prose, by sentence)."""
    if hit.kind in ("indicator", "summary"):
        return []
    if hit.kind == "table":
        out = []
        for row in (r.strip() for r in hit.text.split("\n")):
            if len(row) > 150:
                out += [m.group(0).strip() for m in SENTENCE.finditer(row) if len(m.group(0).strip()) >= 4]
            elif row:
                out.append(row)
        return out
    return [m.group(0).strip() for m in SENTENCE.finditer(hit.text) if len(m.group(0).strip()) >= 4]


_CELL = re.compile(r"\t|\s{2,}")
# a sentence that goes on with a list of years ('2019年度1,408个，较上年增长70%；' after '…其中2018年度826个；')
_LIST_GOES_ON = re.compile(r"(?:20\d{2}\s*年度?|其中)\s*[\d,.]+\s*[\u4e00-\u9fff]?[，,；;。]")
_NUMBERS_OUT = re.compile(r"[\d.,%]+")
_REASON = re.compile(r"原因|由于|因为|(?:^|[，,：:])因|导致|主要是")

_SUBTOTAL_ROW = re.compile(r"(?:小计|合计|总计)\s")
_NUMERIC_CELL = re.compile(r"[\d.,%/\-—–（）()]+|[—-]+")


def carried_rows(hit: SearchHit, before: list[str] | None = None) -> dict[str, str]:
    """Rows of a table passage whose leading cells span several rows ('省级…经费  一次性竞赛补贴经费  2021
    605.00 …' then '2024  2895.00 …'; '高交会项目  其他商品和服务支出  6.00 …' then '委托业务费  30.00 …'):
    each such row → the row above it that printed the deepest label it leaves out. A row's leading text
    cells fill the last columns of the labels; the columns it leaves blank keep the labels above.
    `before`: the table's rows above the passage (a table cut into passages)."""
    out: dict[str, str] = {}
    if hit.kind != "table":
        return out
    labels: list[tuple[str, str]] = []  # (label, the row that printed it), one per leading text column
    own = [r.strip() for r in hit.text.split("\n")]
    for row in [*(before or []), *own]:
        cells = [c.strip() for c in _CELL.split(row) if c.strip()]
        if not any(_NUMERIC_CELL.fullmatch(c) for c in cells):
            continue  # column headings ('2020 政府采购项目  …'), not a row of the table's body
        lead = list(itertools.takewhile(lambda c: not _NUMERIC_CELL.fullmatch(c), cells))
        missing = len(labels) - len(lead)
        if missing > 0 and len(cells) - len(lead) >= 2:
            out[row] = labels[missing - 1][1]
        labels = labels[:max(missing, 0)] + [(c, row) for c in lead]
    return out


def rows_before(doc: Document, hit: SearchHit, n: int = 8) -> list[str]:
    """The table rows printed just above a table passage's first row, in the same section."""
    first = hit.text.split("\n", 1)[0].strip()
    paras = doc.paragraphs
    idx = next((i for i, p in enumerate(paras) if p.kind == "table_row" and p.text.strip() == first), None)
    if idx is None:
        return []
    out: list[str] = []
    for p in reversed(paras[max(0, idx - n) : idx]):
        if p.kind != "table_row" or p.heading_path != paras[idx].heading_path:
            break
        out.insert(0, p.text.strip())
    return out


def _run_in_title(hit: SearchHit, text: str) -> str:
    """'2. 公务接待费。2020 年预算数 9.50 万元…': the short sentence just before a unit titles it."""
    pos = hit.text.find(text)
    if pos <= 0:
        return ""
    before = [m.group(0).strip() for m in SENTENCE.finditer(hit.text[:pos])]
    if before and len(before[-1]) <= 14:
        return before[-1]
    # '4、…财政委托业务支出（项）。主要用于：…。年初预算为450.52万元': the numbered item's own first sentence
    lead = next((b for b in reversed(before[-3:]) if _ENUMERATED.match(b)), "")
    return lead if len(lead) <= 60 else ""


def _paragraph_lead(doc: Document, text: str) -> str:
    """The first sentence of the numbered item a sentence belongs to, read in the report's own paragraph
    (a passage may start after it)."""
    para = next((p for p in doc.paragraphs if p.kind == "text" and text in p.text), None)
    if para is None:
        return ""
    before = [m.group(0).strip() for m in SENTENCE.finditer(para.text[: para.text.find(text)])]
    lead = next((b for b in reversed(before[-3:]) if _ENUMERATED.match(b)), "")
    return lead if len(lead) <= 60 else ""


_ENUMERATED = re.compile(r"(?:\d{1,2}\s*[、.．]|[（(]\d{1,2}[）)]|[一二三四五六七八九十]{1,2}、)(?!\d)")


_FOCUS = re.compile(r"多少|几[个项家人届份次年分]?|哪[些个几里天年]|是否|什么|啥|how many|how much")


def focus_bigrams(q: Question) -> set[str]:
    """The words right around what is asked ('支持了多少个项目' → 支持, 项目): they count double."""
    out: set[str] = set()
    for m in _FOCUS.finditer(q.text):
        out |= bigrams(q.text[max(0, m.start() - 5) : m.start()]) | bigrams(q.text[m.end() : m.end() + 4])
    return out


_YEARS = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
_RANGE_TEXT = re.compile(r"20\d{2}\s*年?\s*[-—–~至到]\s*20\d{2}")


# a table named by its title ('一般公共预算财政拨款基本支出决算表中'): its last characters, as headings print them
_TABLE_TITLE = re.compile(r"([\u4e00-\u9fff（）()]{4,30}表)(?:中|里|内|上|的)")
_FOR_ONE_YEAR = re.compile(r"\b(?:for|in|during)\s+(?:the\s+year\s+)?(20\d{2})\b(?!\s*[-–—~])")
_EACH_YEAR = re.compile(r"各是|各为|各有|各自|分别|各年|每年|各多少")
_ONE_YEAR = re.compile(r"当年|单独|单年|那一年|这一年|分年度|每年分别|(?:仅|只算|光|只|单)\s*20\d{2}\s*年?(?:一年|全年|这一?年|当年)?|20\d{2}\s*年?一年")


def years_of(text: str) -> set[int]:
    """The years a text names on their own ('2019年'), not as the ends of a period ('2018-2020年')."""
    return {int(y) for y in _YEARS.findall(_RANGE_TEXT.sub(" ", text))}


def _within_range(text: str, years: set[int]) -> bool:
    """Whether a period the text names ('2018-2020年') holds one of the years."""
    for m in _RANGE_TEXT.finditer(text):
        a, b = (int(x) for x in _YEARS.findall(m.group(0))[:2])
        if any(a <= y <= b for y in years):
            return True
    return False


# a formula in words ('执行率=（实际拨付/预算）×100%', '人均培训成本=补助资金总额÷参训人数') or a
# criterion ('评价要点：①…≤…'): how a figure is got or judged, none of its values
_DEFINITION = re.compile(r"[\u4e00-\u9fff]{2}\s*[=＝]\s*[（(]?[\u4e00-\u9fff][\u4e00-\u9fff（）()\s\d-]{1,80}[/÷×+]\s*[（(]?[\u4e00-\u9fff]"
                         r"|评价要点\s*[:：]"
                         r"|[\u4e00-\u9fff”\"]{1,12}\s*[:：]\s*指[\u4e00-\u9fff]|[\u4e00-\u9fff”\"]{1,12}是指")  # '及时：指截至…
_ASKS_FORMULA = re.compile(r"公式|怎么算|如何计算|怎么计算|计算方法|口径|定义|界定|认定|是指|formula|calculat|defin", re.I)


def score_units(q: Question, hits: list[SearchHit], want: set[str], required: set[str] | None = None,
                weight: Callable[[str], float] | None = None,
                rows_above: Callable[..., list[str]] | None = None,
                periods: dict[str, str] | None = None,
                lead_of: Callable[[SearchHit, str], str] | None = None) -> list[Unit]:
    """`required`: words the question names that an answer must contain (a place no report is from);
    `weight`: how much each asked-about bigram counts (rare words more than 预算 or 经费)."""
    base = weight or (lambda _b: 1.0)
    focus = focus_bigrams(q)

    def w(b: str) -> float:
        return base(b) * (2.0 if b in focus else 1.0)

    total = sum(w(b) for b in want)
    anchors = [str(y) for y in q.years] + [f"{n.normalize():f}" for n in [*q.numbers, *q.percents]]
    quoted = list(q.quoted)
    roles = asked_roles(q) if q.has("role") else []
    quoted += roles  # '负责人是谁': the row that prints the role is the answer, as a quoted term would be
    asks_total = bool(_ASKS_TOTAL.search(q.text))
    things = bool(_ASKS_HOW_MANY_THINGS.search(q.text))
    per = _PER.search(q.search_text)  # '每月付多少': an amount per month ('517735元/月'), not the year's total
    named_table = table_label(q)
    titled = _TABLE_TITLE.search(q.text)
    titled_table = bare(normalize(titled.group(1)))[-12:] if titled else ""
    asks_table = bool(re.search(r"附表|表里|表中|表格|表上|一览表|明细表", q.text))
    # a year asked on its own, said so ('2019年单独的', '2020年当年'): the period's figure is not its figure
    # (as are two or more years asked each: '2019年和2020年的年中追加预算各是多少')
    named_years = years_of(q.text)
    lone = named_years if _ONE_YEAR.search(q.text) or (len(named_years) >= 2 and _EACH_YEAR.search(q.text)) else set()
    if (one := _FOR_ONE_YEAR.search(q.text)) and _RANGE_TEXT.search(q.text):
        lone = {int(one.group(1))}  # '…(2018-2020 资金投入和使用情况) … for 2019': that year, the range is a title
    single = named_years if len(named_years) == 1 and not _RANGE_TEXT.search(q.text) else set()
    why_only = asks_reason(q)
    out = []
    for rank, hit in enumerate(hits):
        section = bigrams(hit.section.split(" > ")[-1]) if hit.section else set()
        header = bigrams(hit.header) if hit.header else set()  # a row's column headings speak for it
        first = hit.text.split("\n", 1)[0]
        short_start = hit.kind == "table" and bool(re.match(r"[\d.,%/-]+\s|20\d{2}\s", first))
        carried = carried_rows(hit, rows_above(hit) if rows_above and short_start else None)
        heading = hit.section.split(" > ")[-1] if hit.section else ""  # '附件 1-1 2019 年绩效目标设置情况表'
        under_path = bool(q.path_terms) and all(t in bare(normalize(" ".join(
            [hit.section or "", hit.header or "", *(rows_above(hit, 80) if rows_above else []), hit.text]))) for t in q.path_terms)
        head = ""  # the sentence a list of years continues ('共扶持企业、院校等3,734个次，其中2018年度826个；')
        for text in _units(hit):
            head = head if head and _LIST_GOES_ON.match(text) else text
            above = carried.get(text, "")
            lead = " ".join(itertools.takewhile(lambda c: not re.match(r"[\d./-]", c), _CELL.split(above))) if above else ""
            title = _run_in_title(hit, text)
            if not title and lead_of is not None:  # the passage starts inside a numbered item: its paragraph
                title = lead_of(hit, text)
            if not above and _ENUMERATED.match(title) and len(title) > 14:
                above = title  # the numbered item's first sentence says what the unit's figures are of
            own = bigrams(text) | header | bigrams(title) | bigrams(lead)
            if head is not text:  # '2019年度1,408个，较上年增长70%；': what its list counts, said before
                own |= bigrams(_NUMBERS_OUT.sub(" ", head))
            context = section
            covered = (own & want) | (context & want)
            cover = (sum(w(b) for b in own & want) + 0.5 * sum(w(b) for b in (context & want) - own)) / total if total else 0.0
            score = cover
            wanted = {"money": _MONEY, "percent": _PERCENT, "count": _COUNT, "date": _DATE}
            asked = [rx for kind, rx in wanted.items() if kind in q.quantity]
            if len(asked) >= 2 and not why_only and not (named_table or asks_table) and all(rx.search(text) for rx in asked):
                score += 0.1  # '多少钱，占比多少': the line that states both (a table asked for prints % in its header)
            planned = "目标" in heading + hit.header and not _ASKS_TARGET.search(q.text)
            for kind, rx in wanted.items():
                if kind in q.quantity and not q.has("role") and not why_only:  # a role asks for a name, not a number
                    listed = kind == "count" and things and bool(_NUMBERED_LIST.search(text))
                    # (a target table's '≥95%' is what was planned, not the value a question asks for)
                    stated = rx.search(_TARGET_VALUE.sub("", text) if planned and kind == "percent" else text)
                    if not stated and kind == "percent" and hit.kind == "table" and _PERCENT_COLUMN.search(hit.header or ""):
                        stated = re.search(r"\d\.\d", text)  # '预算执行(%)' over '2024  2895.00  1995.00  38.83  68.91'

                    score += 0.25 if stated or listed else -0.1  # the kind of number asked for, or not
            if "score" in q.quantity and _POINTS.search(text):
                score += 0.15
            elif (hit.kind == "table" and not q.has("score", "weight", "why", "total") and "score" not in q.quantity
                  and re.search(r"得分|评分|打分", heading)):
                score -= 0.15  # a row of a table of points ('满意度  4.00  4.00  100.00%'): its % is a score rate
            if why_only and _REASON.search(text):
                score += 0.2  # '决算为什么比预算少': the sentence that gives the reason, not the figures again
            if re.search(r"\d", text):
                score += 0.05
            if hit.kind == "table" and (last := list(re.finditer(r"\d", text))):
                head, tail = text[: last[-1].start()], text[last[-1].end():]
                if want & bigrams(tail) and not want & (bigrams(head) | header | bigrams(lead)):
                    score -= 0.3  # '退休费 69.10 17 公务接待费': the name asked for after the figures is a row of its own
            if _CAPTION.search(text) or _TABLE_LIST.search(text) or (hit.kind == "table" and column_headings(text)):
                score -= 0.4  # a table's caption or a list of tables names what the figures are, states none
            if named_table and under_table(named_table, hit.section):
                score += 0.4  # '表1-1里…': a row of the table the question names
            elif titled_table and hit.kind == "table" and titled_table in bare(normalize(heading)):
                score += 0.3  # '…基本支出决算表中，…': a row of the table the question names by its title
            elif asks_table and hit.kind == "table":
                score += 0.15  # '附表里…', '表中…': a table row rather than a sentence
            if per:  # '每月付多少': a line with an amount per month, not a total of the year
                score += 0.3 if re.search(rf"/\s*{per.group(1)}|每{per.group(1)}", text) else -0.2
            if asks_total and _TOTAL.search(text):
                score += 0.2  # '总共/合计多少': the total row, not one of its parts
            elif lead and _SUBTOTAL_ROW.match(text) and bigrams(lead) & want:
                score += 0.2  # '高交会项目的执行数': the block's 小计 row, not one of the lines above it
            flat = text.replace(" ", "").replace(",", "")
            cells = text.replace(",", "")  # a number the question names, whole ('206' is not the start of '20699')
            score += min(0.3, 0.15 * sum(1 for a in anchors if re.search(rf"(?<![\d.]){re.escape(a)}(?![\d.])", cells)))
            # '比2023年度增加2.55万元' compares with a year; the figure is still this year's
            # (read with the cells apart: '2023  910.00' is 2023, not 2023910)
            years = set(_YEARS.findall(_COMPARED.sub("", text))) | set(_YEARS.findall(hit.header or "")) | set(_YEARS.findall(heading))
            if (q.years and years and not years & {str(y) for y in q.years} and not _RANGE_TEXT.search(flat)
                    and not _within_range(f"{hit.header or ''} {heading}", set(q.years))):
                score -= 0.8  # about another year
            if lone and not years_of(f"{hit.text} {hit.header or ''} {heading}") & lone and _within_range(
                    f"{flat} {hit.header or ''} {heading} {(periods or {}).get(hit.doc, '')}", lone):
                score -= 1.5  # '2019年单独的满意度': a figure of 2018-2020 as a whole does not say it
            elif (single and hit.kind == "table" and _within_range((periods or {}).get(hit.doc, ""), single)
                  and (own_years := years_of(_COMPARED.sub("", text))) and not own_years & single):
                # '龙岗专项资金2019年预算执行率': the row of another year of the period's table ('2018 年 50,000.00 …')
                score -= 0.8
            elif (single and _within_range((periods or {}).get(hit.doc, ""), single) and _within_range(flat, single)
                  and not years_of(_COMPARED.sub("", text))):
                score -= 0.5  # '本项目 2018-2020 年预算…执行率 99.99%': the whole period, where one year is asked
            if required and not any(r in normalize(text) for r in required):
                score -= 0.5
            if roles and any(re.search(re.escape(r) + r"\s*[：:]?\s*[\u4e00-\u9fff]{2,4}(?![\u4e00-\u9fff])", text) for r in roles):
                score += 0.2  # '负责人  石兴中': the role with a name beside it is the answer itself
            if under_path:
                score += 0.15  # a row under the levels the question quotes ('“产出指标—数量指标”下的…')
            if quoted:  # a term the question quotes ('“三公”经费') is the one it asks about
                flat_n = bare(normalize(text))
                # (a row's column headings name its cells: '年中追加' over '2019 年 42,000.00 6,433.23 …')
                # (or its row label carried from above: '一次性竞赛补贴经费' over '2024  2895.00 …')
                in_header = bare(normalize(f"{hit.header or ''} {lead}")) if hit.kind == "table" else ""
                in_item = bare(normalize(title)) if _ENUMERATED.match(title) else ""  # the numbered item it is in
                score += 0.3 if any(x.replace(" ", "") in flat_n for x in quoted) else (
                    0.0 if any(x.replace(" ", "") in in_item or x.replace(" ", "") in in_header for x in quoted) else -0.3)
            score -= 0.02 * rank
            if len(text) > 300:
                score -= 0.1
            if _DEFINITION.search(text) and not q.has("rule") and not _ASKS_FORMULA.search(q.text):
                score -= 0.4  # '执行率=（实际拨付/预算）×100%' defines the rate, states none of its values
            elif _ASKS_FORMULA.search(q.text) and _DEFINITION.search(text) and (not quoted or any(
                    re.search(re.escape(x.replace(" ", "")) + r"\s*(?:[:：]\s*指|是指)", text) for x in quoted)):
                # '“及时”的认定口径': the line that defines it ('及时：指截至…'), where a term is quoted that
                # term itself, not a rate named after it ('补贴发放及时率=…')
                score += 1.0 if quoted else 0.3  # (the term defined is the answer itself)
            if re.search(r"得分\s*=|×\s*\d?\s*分|得满分|不得分|扣除|得\s*\d+(?:\.\d+)?\s*分[；;]", text):
                score += 0.25 if q.has("rule") else -0.4  # a scoring rule answers how it is scored, and is not a figure
            out.append(Unit(hit=hit, text=text, score=score, cover=cover, covered=frozenset(covered), rank=rank,
                            carried=above))
    out.sort(key=lambda u: -u.score)
    return out


def find(session: Session, q: Question, docs: list[Document] | None, k: int = 12,
         required: set[str] | None = None, named: list[Document] | None = None) -> list[Unit]:
    """Scored units of the top passages (in the given reports, or all). `named`: every report the
    question names (when it compares several, their names are not what it asks about)."""
    ids = {d.id for d in docs} if docs else None
    fetch, hits = k, []
    while len(hits) < k and fetch < 8 * k:  # the same caption over many tables took most places: look deeper
        fetch *= 2
        hits = _distinct(session.search(q.search_text or q.raw, k=fetch, mode="hybrid", docs=ids))
    hits = hits[:k]
    hits = _quoted_first(session, q, docs, hits)
    hits = _named_table_first(session, q, docs, hits)
    hits = _read_on(session, docs, hits)
    about = {d.id for d in named} if named else ids
    idents = [i for i in identities(session.corpus) if about is None or i.doc.id in about]
    keyword = session.search_index.keyword
    periods = {d.id: d.year or "" for d in session.corpus}
    return score_units(q, hits, content_bigrams(q, idents), required, weight=junction_capped(q.text, keyword.idf),
                       rows_above=lambda h, n=8: rows_before(session.corpus.get(h.doc), h, n), periods=periods,
                       lead_of=lambda h, t: _paragraph_lead(session.corpus.get(h.doc), t))


def _distinct(hits: list[SearchHit]) -> list[SearchHit]:
    """One passage of each text: a caption printed over each of twenty tables ('项目支出绩效目标表2020
    年度') would otherwise take every place of the ranking."""
    seen: set[str] = set()
    out = []
    for h in hits:
        key = h.doc + "|" + re.sub(r"\s", "", h.text)
        if key not in seen:
            seen.add(key)
            out.append(h)
    return out


def junction_capped(text: str, idf: Callable[[str], float], common: float = 1.5) -> Callable[[str], float]:
    """Bigram weights where a bigram that only joins two common words ('经费预算' → 费预, between 经费 and
    预算), or a common word and one the corpus never writes, weighs no more than they do: it is rare
    because the words seldom meet, not because it names anything."""
    caps: dict[str, float] = {}
    for run in _CJK.findall(QUOTE_MARKS.sub("", text)):
        grams = [run[i : i + 2] for i in range(len(run) - 1)]
        for i in range(1, len(grams) - 1):
            left, right = idf(grams[i - 1]), idf(grams[i + 1])
            # (a side the corpus never writes is a word of the question's own: '项目做绩效' → 目做 joins 项目
            # to 做, and weighs as little as 项目)
            if (0 < left < common and 0 <= right < common) or (0 <= left < common and 0 < right < common):
                caps[grams[i]] = min(caps.get(grams[i], 99.0), max(left, right))

    def weight(b: str) -> float:
        w = idf(b)
        return min(w, caps[b]) if b in caps else w

    return weight


def printed_in(session: Session, q: Question, docs: list[Document] | None) -> dict[str, set[str]]:
    """For each term the question quotes, the reports (of those given, or all) that print it."""
    out: dict[str, set[str]] = {}
    terms = quoted_names(q)
    if not terms:
        return out
    for doc in docs if docs else session.corpus.documents:
        flat = bare(normalize(" ".join(p.text for p in doc.paragraphs)))
        for t in terms:
            if t in flat:
                out.setdefault(t, set()).add(doc.id)
    return out


def quoted_names(q: Question) -> list[str]:
    """Names the question quotes ('“战新产业实现增加值”'), as asked and as repaired, without spaces."""
    return [t for t in q.quoted if len(t) >= 4]


def asked_roles(q: Question) -> list[str]:
    """The roles a question asks for ('负责人是谁'), as the reports print them."""
    return [r for r in qa_patterns()["asks"]["role"] if not r.isascii() and (r in q.text or r in q.search_text)]


def as_hit(p) -> SearchHit:  # type: ignore[no-untyped-def]
    """A passage found by a rule rather than by the search, in the search's shape."""
    from index.store import SearchHit

    return SearchHit(doc=p.doc, title=p.title, section=p.section, page=p.page, text=p.text, quote=p.quote,
                     kind=p.kind, score=0.0, passage_id=p.id, record_id=p.record_id, header=p.header)


def _quoted_first(session: Session, q: Question, docs: list[Document] | None, hits: list[SearchHit]) -> list[SearchHit]:
    """A term the question quotes ('“战新产业实现增加值”的预期值'), or a role it asks for in a named report
    ('负责人'), is found where it is printed, whatever the ranking did with the rest of the question:
    passages holding it verbatim come first. A quoted term printed nowhere in those reports leaves
    nothing to quote (the question asks about something they do not hold)."""
    quoted = quoted_names(q)
    terms = list(quoted)
    if q.has("role") and docs:  # '负责人是谁': the table rows that print the role, in the reports named
        terms += asked_roles(q)
    if not terms:
        return hits
    from index.passages import build_passages

    passages_of = getattr(session.search_index, "passages_of", build_passages)
    seen = {h.passage_id for h in hits}
    found: list[SearchHit] = []
    anywhere = False
    for doc in docs if docs else session.corpus.documents:
        for p in passages_of(doc):
            flat = bare(normalize(p.text))  # ‘三公’ asked, “三公” printed
            anywhere |= any(t in flat for t in quoted)
            if p.id not in seen and any(t in flat for t in terms):
                found.append(as_hit(p))
    if not anywhere and quoted:  # a name the question quotes that these reports never print
        return []
    # those the search found too come first as well (a deeper search must not push them down)
    holding = [h for h in hits if any(t in bare(normalize(h.text)) for t in terms)]
    # (of many that print it, a table's rows first where a figure of a year is asked: '一次性竞赛补贴 in 2024')
    years = [str(y) for y in q.years]
    if years and q.quantity & {"money", "percent", "count"}:
        def data_row(h: SearchHit) -> bool:  # a row that names it and states figures ('…补贴经费  2021  605.00  605.00')
            return any(any(t in bare(normalize(line)) for t in terms) and len(re.findall(r"\d\.\d{2}", line)) >= 2
                       for line in h.text.split("\n"))
        rows = sorted(holding + found, key=lambda h: (not data_row(h), not any(y in h.text for y in years)))
        front = []
        for h in holding[:2] + [h for h in rows if data_row(h)][:2] + found[:1]:
            if h not in front:
                front.append(h)
    else:
        front = (holding + found)[:3]
    return front + [h for h in hits if h not in front]


def _read_on(session: Session, docs: list[Document] | None, hits: list[SearchHit], top: int = 10) -> list[SearchHit]:
    """A table cut into passages is read on: after a table passage among the first hits, the passage
    that continues it ('2024  2895.00  1995.00 …', whose label row is in the passage before)."""
    from index.passages import build_passages

    passages_of = getattr(session.search_index, "passages_of", build_passages)
    by_doc = {d.id: d for d in (docs or session.corpus.documents)}
    seen = {h.passage_id for h in hits}
    out: list[SearchHit] = []
    for rank, h in enumerate(hits):
        out.append(h)
        if rank >= top or h.kind != "table" or h.doc not in by_doc:
            continue
        passages = passages_of(by_doc[h.doc])
        i = next((k for k, p in enumerate(passages) if p.id == h.passage_id), None)
        if i is None or i + 1 >= len(passages):
            continue
        nxt = passages[i + 1]
        if nxt.kind == "table" and nxt.section == h.section and nxt.id not in seen and re.match(r"[\d.,%/-]+\s", nxt.text):
            out.append(as_hit(nxt))
            seen.add(nxt.id)
    return out


_TABLE_LABEL = re.compile(r"(附?表\s*\d+(?:\s*[-－]\s*\d+)*)(?![\d-])")


def table_label(q: Question) -> str | None:
    """The table the question names ('表1-1里', '附表 6-2'), as the reports' headings print it."""
    m = _TABLE_LABEL.search(q.text)
    if m:
        return re.sub(r"\s", "", m.group(1)).replace("－", "-")
    en = re.search(r"\b(?:(attached|annex) )?table\s+(\d+(?:-\d+)*)(?![\d-])", q.text)  # 'Table 1-1'
    return f"{'附' if en.group(1) else ''}表{en.group(2)}" if en else None


def under_table(label: str, section: str | None) -> bool:
    """Whether a passage's heading is that table's ('表1-1：2021-2024年…明细表' for 表1-1, not 表1-10)."""
    last = re.sub(r"(?<=表)[.．、]", "", re.sub(r"\s", "", section.split(" > ")[-1])) if section else ""  # '表. 3' is 表3
    return bool(re.match(re.escape(label) + r"(?![\d-])", last))


def _named_table_first(session: Session, q: Question, docs: list[Document] | None, hits: list[SearchHit]) -> list[SearchHit]:
    """'表1-1里，2024年…': the passages of the table the question names come first (a row of numbers
    says little to a search by itself)."""
    label = table_label(q)
    if not label or not docs or len(docs) > 2:
        return hits
    from index.passages import build_passages

    passages_of = getattr(session.search_index, "passages_of", build_passages)
    seen = {h.passage_id for h in hits}
    found = []
    for doc in docs:
        for p in passages_of(doc):
            if p.id not in seen and under_table(label, p.section):
                found.append(as_hit(p))
    return found[:6] + hits


def asks_reason(q: Question) -> bool:
    """'决算为什么比预算少': a reason asked, not an amount or points."""
    return q.has("why") and not q.has("score") and not re.search(r"多少|几", q.text)


def pick(units: list[Unit], limit: int = 3, anchors: list[str] | None = None, reason: bool = False) -> list[Unit]:
    """The best unit, then units that cover what it leaves out (from the same report), a unit of the
    same passage that names a year or number the question names ('其中2019年…'), and, where a reason
    is asked, a nearly as good sentence of the same passage that gives one."""
    anchors = anchors or []
    if not units:
        return []
    best = units[0]
    chosen = [best]
    covered = set(best.covered)
    for u in units[1:]:
        if len(chosen) >= limit:
            break
        if u.hit.doc != best.hit.doc or u.text == best.text:
            continue
        if best.carried and u.carried != best.carried and u.hit.kind == "paragraph" and not set(u.covered) - covered:
            continue  # the same words under another numbered item ('3、信息化建设…年初预算为135.90万元')
        new = set(u.covered) - covered
        same = u.hit.passage_id == best.hit.passage_id
        anchored = same and any(a in u.text.replace(" ", "") for a in anchors) and not any(
            a in c.text.replace(" ", "") for c in chosen for a in anchors if a in u.text.replace(" ", ""))
        if u.score < best.score - 0.6 and not anchored:
            continue
        because = reason and same and u.score >= best.score - 0.3 and bool(_REASON.search(u.text))
        # a row of another table of the report, as good as the best: both are shown, the reader tells
        tied = not same and u.hit.kind == "table" and best.hit.kind == "table" and u.score >= best.score - 0.05 \
            and bool(re.search(r"\d", u.text)) and u.cover >= best.cover - 0.2
        # the clause right after the best one ('…实有在编人数 14 人；' then '退休 7 人。'), with a number of
        # another thing the question asks
        after = same and bool(new) and bool(re.search(r"\d", u.text)) and best.text.endswith(("；", ";")) and \
            0 <= u.hit.text.find(u.text) - (best.hit.text.find(best.text) + len(best.text)) <= 2
        if len(new) >= 2 or (re.search(r"\d", u.text) and same and u.cover >= 0.3) or anchored or because or tied or after:
            chosen.append(u)
            covered |= new
    chosen.sort(key=lambda u: (u.rank, u.hit.text.find(u.text)))
    return chosen


def other_kind(chosen: list[Unit], q: Question, units: list[Unit]) -> Unit | None:
    """Two kinds of number insisted on ('一共安排多少预算，执行率多少') and the chosen lines state one: the
    best line of the same report, nearly as good and about as much on the subject, that states the other."""
    kinds = {"money": _MONEY, "percent": _PERCENT, "count": _COUNT}

    def states(kind: str, u: Unit) -> bool:  # (points are no amount: '该指标得3.34分')
        return bool(kinds[kind].search(_STATED_POINTS.sub(" ", u.text)))

    asked = [k for k in kinds if k in q.insists]
    missing = [k for k in asked if not any(states(k, u) for u in chosen)]
    if len(asked) < 2 or not missing or len(missing) == len(asked):
        return None
    best = chosen[0]
    return next((u for u in units if u not in chosen and u.hit.doc == best.hit.doc and u.score >= best.score - 0.4
                 and u.cover >= 0.5 * best.cover and all(states(k, u) for k in missing)), None)


_PERCENT_COLUMN = re.compile(r"[(（]\s*%\s*[)）]")
_STATED_POINTS = re.compile(r"\d+(?:\.\d+)?\s*分")


def neighbour_with_number(best: Unit, q: Question, units: list[Unit]) -> Unit | None:
    """'主要用于：委托中介机构开展各类审计…' answers 'what', its neighbour in the same paragraph says how
    much: where the best unit lacks the kind of number asked for, the adjacent one that has it."""
    rx = [r for k, r in (("money", _MONEY), ("percent", _PERCENT), ("count", _COUNT)) if k in q.quantity]
    if not rx or any(r.search(best.text) for r in rx):
        return None
    same = [u for u in units if u.hit.passage_id == best.hit.passage_id and u.text != best.text]
    pos = best.hit.text.find(best.text)
    same.sort(key=lambda u: abs(u.hit.text.find(u.text) - pos))
    return next((u for u in same[:2] if any(r.search(u.text) for r in rx)), None)


def names_quoted(units: list[Unit], q: Question, printed_in: dict[str, set[str]] | None = None) -> bool:
    """Whether the quoted evidence names what the question quotes ('“生物创造激励”类别'), when it quotes one.
    `printed_in`: the reports that print each term; a term one report prints, quoted to say what that
    report says, does not bind an answer from another ('A说“当年度无三公经费支出”，那B的…')."""
    cited = {u.hit.doc for u in units}
    terms = [t for t in quoted_names(q) if printed_in is None or not printed_in.get(t) or printed_in[t] & cited]
    if not terms:
        return True
    texts = [bare(normalize(u.text + u.hit.header + u.hit.section + u.carried)) for u in units]
    naming = [u for u, x in zip(units, texts, strict=True) if any(t in x for t in terms)]
    if not naming:
        return False
    # '“生物创造激励”类别共支出多少万元': the line that names it must also state the amount (a list of
    # category names beside another category's amount does not answer)
    return not q.insists or holds_kind(naming, q)


_ORDINAL = re.compile(r"第([一二三四五六七八九十\d]{1,3})(届|期|批|次|季度|轮|阶段)")


_MONTH_END = re.compile(r"(?<!\d)(\d{1,2})\s*月(?:末|底|份|初)")


def names_ordinals(units: list[Unit], q: Question) -> bool:
    """'第四届省赛的参赛人数': the quoted evidence must speak of that one ('第一、二、三届…' does not)."""
    # (a table row with its column headings: '当季执行率  62.56%  82.02%  86.94%' under '第一季度 … 第三季度')
    return speaks_of_period([f"{u.hit.header} {u.text}" if u.hit.kind == "table" and u.hit.header else u.text
                             for u in units], q)


_NOT_A_THING = re.compile(r"怎么|为什|为何|为啥|咋|如何|比|较|和|与|跟|同|相比|还|又|也|都|是|呢|多少|几|执行|预算|支出")


def speaks_of_period(texts: list[str], q: Question) -> bool:
    """Whether the texts name the month ('5月末') and the ordinal ('第四届') the question names."""
    for month in _MONTH_END.findall(q.text):  # '5月末的预算执行率': a figure as of that month
        if not any(re.search(rf"(?<!\d){month}\s*月", t) for t in texts):
            return False
    for m in _ORDINAL.finditer(q.text):
        num, counter = m.groups()
        # the event the ordinal is of ('第四届职业技能大赛', up to its kind word 赛/会): the text names that
        # event after the ordinal (_same_event)
        event = re.match(r"[\u4e00-\u9fff]+?(?=的|是|有|在|[，,？?。\s]|$)", q.text[m.end():])
        # (not across a comparison: '第二届比第一届多了几个赛项' names no event after 第二届)
        named = re.match(r"(?:(?![第比较和与跟同多少了几的是有在])[\u4e00-\u9fff]){0,8}?[赛会节展]", q.text[m.end():])
        rx = re.compile(rf"(?<![一二三四五六七八九十\d]){num}[、，,和及\s]*(?:[一二三四五六七八九十\d]{{1,2}}[、，,和及\s]*)*{counter}")
        # a quarter's figure of a thing ('第三季度三公经费'): the line naming the quarter names the thing
        # too (not the year's 三公 beside another line's 第三季度 execution rate)
        thing = event.group(0).lstrip("的")[:2] if counter == "季度" and event and len(event.group(0).lstrip("的")) >= 2 else ""
        if _NOT_A_THING.match(thing):  # '第三季度怎么比第二季度还低': a question about the quarter, no thing named
            thing = ""
        if not any((not thing or thing in t) and (not named or _same_event(named.group(0), t, rx)) for t in texts
                   if rx.search(t)):
            return False
    return True


def _same_event(asked: str, text: str, ordinal: re.Pattern[str]) -> bool:
    """'第四届职业技能大赛' is not '第四届全国智能制造应用技术技能大赛' nor '第四届河南省水产技术推广职业技能竞赛',
    while '第二十三届高交会' is '第二十三届中国国际高新技术成果交易会' and '第三届省赛' '第三届河南省职业技能大赛':
    the asked name, in order, within the name the text gives after the same ordinal (as a short name is
    of its full one)."""
    for m in ordinal.finditer(text):
        after = re.sub(r"\s", "", text[m.end(): m.end() + 24])
        end = re.search(r"[赛会节展]", after[:18])
        named = iter(after[: end.end()] if end else after[:8])
        if all(ch in named for ch in asked):  # a subsequence: each character found after the one before
            return True
    return False


_ASKS_NAMES = re.compile(r"具体是哪|都是哪|都是谁|分别是谁|都有谁|名单|叫什么名字|是哪几家|是哪些(?:企业|单位|团队|人|项目)")


_ASKS_ONE_NAME = re.compile(r"哪(?:个|家|一家)(?:企业|公司|银行|机构|单位|厂)")
_NAMED_ORG = re.compile(r"[\u4e00-\u9fff]{2,}(?:公司|集团|银行|协会|学院|研究院|中心|厂|电视台|传媒)")


def lists_names(units: list[Unit], q: Question) -> bool:
    """'那7个高层次团队具体是哪几个': the evidence must name them (a list, or rows), not only count them;
    '那15万赞助是哪个企业给的': it must name one (a company, bank, …), not only say '企业赞助15万元'."""
    if _ASKS_ONE_NAME.search(q.text) and not any(_NAMED_ORG.search(u.text) for u in units):
        return False
    for role in asked_roles(q):  # '填报人是谁': a name after the role's label, not a blank form's next line
        named = re.compile(rf"{role}\s*[：:]?\s*[\u4e00-\u9fff]{{2,4}}(?=$|[\s，,；;。、（(]|[\u4e00-\u9fff]{{0,6}}[：:])")
        # (a table row prints the name in a cell of its own: '1  司长青  项目组组长  …')
        if any(role in u.text for u in units) and not any(named.search(u.text) or u.hit.kind == "table" for u in units):
            return False
    if not _ASKS_NAMES.search(q.text):
        return True
    return any(u.text.count("、") >= 2 or u.hit.kind == "table" for u in units)


def rate_name(q: Question) -> str | None:
    """The rate a question asks for by name ('实际执行率是多少' → 执行率), or None."""
    found = _RATE_NAME.findall(q.text)
    if not found and not _CJK.search(re.sub(r"\d+年", "", q.text)):  # an English question: its glossary words
        found = _RATE_NAME.findall(q.search_text)
    return found[-1][-3:] if found else None


def states_asked_kind(text: str, q: Question) -> bool:
    """Whether a text states a number of every kind the question asks for (% for 率, an amount for 多少钱)."""
    wanted = {"money": _MONEY, "percent": _PERCENT, "count": _COUNT}
    return all(rx.search(text) for kind, rx in wanted.items() if kind in q.quantity) if q.quantity & set(wanted) else True


_ASKS_ACTUAL = re.compile(r"实际(?:花|支出|执行|使用|用)|执行了多少|花掉|\bactual(?:ly)? (?:spen[dt]|spending|expenditure|executed)")
_ASKS_PLANNED = re.compile(r"安排了?多少|预算(?:数|金额)?(?:是|为|有)?多少|年初预算")
_STATES_ACTUAL = re.compile(r"(?:实际|执行|决算|完成|支付|已支出|支出数|累计支出|使用)[^。；\d]{0,12}(?!20\d\d\s*年)\d")


def states_actual(units: list[Unit], q: Question) -> bool:
    """Where the question asks what was actually spent or done: whether a quoted unit states it (a
    budget's planned amounts, or '在实际执行中据实调配', do not)."""
    if not _ASKS_ACTUAL.search(q.text) or _ASKS_PLANNED.search(q.text):
        return True  # ('预算里安排了多少，…实际执行了多少': both are asked, each report gives its own)
    return any(_STATES_ACTUAL.search(u.text) or re.search(r"实际|执行数|执行金额|执行预算|执行率|决算|支出数", u.hit.header + u.hit.section)
               for u in units)


_RULE_RANGE = re.compile(r"\d+(?:\.\d+)?\s*[%％]?\s*[-—~至到]\s*\d+(?:\.\d+)?\s*[%％]|\d+(?:\.\d+)?\s*[%％]\s*[（(]不?含[）)]"
                         # '满意度达95%，得满分', '每下降1%，扣除0.2分', '在50%以下'
                         # (not a finding: '预算执行率 99.97%，扣 0.01 分' states the rate, then what it cost)
                         r"|(?:达到?|超过|不低于|不高于|低于|高于|大于|小于|等于|在)\s*\d+(?:\.\d+)?\s*[%％]\s*[，,]?\s*(?:的)?\s*(?:得|扣|不得)"
                         r"|每(?:下降|降低|提高|增加|减少)\s*\d+(?:\.\d+)?\s*[%％]")


def _just_before(u: Unit, chars: int = 120) -> str:
    """The text of the unit's passage right before it (the sentence that says what its figure is of)."""
    at = u.hit.text.find(u.text)
    return u.hit.text[max(0, at - chars): at] if at > 0 else ""


def is_rule_line(text: str) -> bool:
    """A scoring rule's line ('1. 比率<5%的，得1分') or a definition ('预算执行率=（实际支出资金/…）×100%'):
    its numbers are bounds, points and formulas, not findings."""
    return bool(_RULE_TEXT.search(text) and (RULE_BOUNDS.search(text) or _RULE_RANGE.search(text))) or bool(
        _DEFINITION.search(text))


def _stated_percent(text: str) -> bool:
    """A percentage the text states as a value: in a rule's line ('满意度 60%-70%（不含），得 2分',
    '满意度≥95%的，得6分') the bounds and ranges are the rule's, not a value."""
    if _RULE_TEXT.search(text):
        text = _RULE_RANGE.sub("", RULE_BOUNDS.sub("", text))
    return bool(_PERCENT.search(text))


def holds_kind(units: list[Unit], q: Question) -> bool:
    """Whether the quoted units hold every kind of number the question insists on ('花了多少钱': an
    amount; '执行率是多少': a percentage). A table row's bare decimals are amounts (the unit is in its
    table's heading)."""
    name = rate_name(q)
    if "percent" in q.insists and not name and re.search(r"比重|占比", q.text):
        # '研发投入占GDP比重是多少': a share, stated as one ('占…', '比重'), not a growth rate
        if not any(re.search(r"比重|占比|占[^，。；]{0,12}?\d", u.text) and _PERCENT.search(u.text) for u in units):
            return False
    if "percent" in q.insists and name:  # '实际执行率是多少': a percentage stated as that rate, not another one
        said = [_AS_EXECUTION.search(u.text.replace(" ", "")) for u in units] if name == "执行率" else []
        # (a table row's rate is named by its column heading: '年度 … 预算执行率' over '2019 年 … 99.98%')
        # ('满意度达95%，得满分' is a rule's bound, not the value)
        # (or named just before it: '…补助对象满意度：…共回收有效问卷 1330 份…。经计算，…补助对象为91.58%')
        if not any(name in (_just_before(u) + u.text + u.hit.header).replace(" ", "")
                   and _stated_percent(u.text)
                   for u in units) and not any(said):
            return False
    texts = [u.text for u in units]
    if re.search(r"实际|实际完成|最终|最后", q.text) and not q.has("compare", "rule"):
        # '实际观展人数达到多少': a target row's '≥ 20000 人次' is what was planned, not what happened
        texts = [_BOUNDED.sub("", t) for t in texts]
        if not any(re.search(r"\d", t) for t in texts):
            return False
    for word in _MEASURE.findall(q.text):  # '多少件信访': a number counted in 件, not any number
        # (or a table row under a heading that counts in it: '数量（人/个）')
        if not any(re.search(rf"\d\s*{word}", t) or (u.hit.kind == "table" and re.search(rf"[（(/]{word}[）)/]", u.hit.header))
                   for u, t in zip(units, texts, strict=True)):
            return False
    for kind in q.insists:
        rx = {"money": _MONEY, "count": _COUNT}.get(kind, _PERCENT)
        # '满意度＜80%的' is a rule's bound; '满意度较高，均在 95%以上' states a value
        texts = [u.text if kind == "money" or not _RULE_TEXT.search(u.text) else RULE_BOUNDS.sub("", u.text) for u in units]
        if kind == "percent" and not _ASKS_TARGET.search(q.text):
            # a target table's '=100%' and '≥90%' are what was planned, not the value asked for
            texts = [_TARGET_VALUE.sub("", t) if "目标" in u.hit.section + u.hit.header else t
                     for u, t in zip(units, texts, strict=True)]
        if not any(rx.search(t) or _in_headed_column(kind, u, t) for u, t in zip(units, texts, strict=True)):
            return False
    return True


_COUNT_HEADER = re.compile(r"数量|人数|个数|户数|[（(][人个家项户次](?:/[人个家项户次])?[）)]")
_BARE_NUMBER = re.compile(r"(?:^|\s)(?!(?:19|20)\d\d(?:\s|$))\d{1,3}(?:,\d{3})*(?:\.\d+)?(?=\s|$)")


def _in_headed_column(kind: str, u: Unit, text: str) -> bool:
    """A table row's bare number is of the kind its table's heading names: '547.7' under 金额（万元） is an
    amount, '1453' under 数量（人/个） a count (a year cell is neither)."""
    if u.hit.kind != "table":
        return False
    if kind == "money":
        return bool(re.search(r"\d\.\d", text) or ("元" in u.hit.header and _BARE_NUMBER.search(text)))
    if kind == "count":
        return bool(_COUNT_HEADER.search(u.hit.header) and re.search(r"(?:^|\s)(?!(?:19|20)\d\d(?:\s|$))\d{1,6}(?=\s|$)", text))
    return False


_PART_END = re.compile(r"[？?；;]")


def parts(text: str) -> list[str]:
    """The questions one question asks ('是哪家机构做的？谁委托的？项目组组长叫啥？'): its clauses that
    end in a question mark and ask something of their own. One clause gives one part."""
    pieces = [p.strip(" ，,。") for p in _PART_END.split(text)]
    asking = [p for p in pieces if len(p) >= 3 and (_FOCUS.search(p) or re.search(r"谁|哪|怎|如何|吗|呢|啥", p))]
    if len(asking) >= 2:
        return asking
    # '是什么类型的报告，包括哪几个单位': clauses apart by a comma, each asking its own thing
    commas = [p.strip() for p in re.split(r"[，,]", text.strip(" ？?。")) if p.strip()]
    plain = [re.sub(r"[那这]几[个项家人]", "", p) for p in commas]  # '那几个项目里' points, it does not ask
    if len(commas) >= 2 and all(len(p) >= 4 and (_FOCUS.search(p) or re.search(r"谁|哪|怎|如何|啥", p)) for p in plain):
        return commas
    pair = _PAIR.search(text)
    if pair:  # '…决算表里福利费和工会经费各是多少': each of the two, after what comes before them
        before = text[: pair.start()]
        run = re.search(r"[\u4e00-\u9fff]+$", before)
        a = run.group(0) if run else ""
        a = re.split(r"[里中的在]", a)[-1][-8:]
        measure = next((m for m in sorted(qa_patterns()["pair_measures"], key=len, reverse=True) if a.endswith(m)), None)
        if measure and len(a) > len(measure):  # '财政委托业务支出年初预算和决算': 年初预算 and 决算 of that item
            a = measure
        head = before[: len(before) - len(a)]
        names = [a, *re.split(r"和|与|及|、", pair.group("b"))]
        if all(len(n) >= 2 for n in names):
            return [f"{head}{n}是多少" for n in names]
    # '2024年福田年初预算和全年预算': two measured words joined at the end, without 各/分别
    measures = sorted(qa_patterns()["pair_measures"], key=len, reverse=True)
    end = re.search(r"(?:和|与|及|、)([\u4e00-\u9fff]{2,6}?)(?:分别|各)?(?:是|为)?(?:多少|几)?[？?。]?$", text)
    if end and end.group(1) in measures:
        before = text[: end.start()]
        a = next((m for m in measures if before.endswith(m)), None)
        if a:
            head = before[: len(before) - len(a)]
            return [f"{head}{a}是多少", f"{head}{end.group(1)}是多少"]
    return [text]


_PAIR = re.compile(r"(?:和|与|及|、)(?P<b>[\u4e00-\u9fff]{2,8}?)(?:各|分别)(?:是|为|有)?(?:多少|几)")


def text_covers(text: str, want: set[str], weight: Callable[[str], float], share: float = 0.6,
                q: Question | None = None) -> bool:
    """Whether a text holds most of a part's asked-about words (by weight; words no passage has
    weigh nothing); with `q`, in one line or quote that also states the kind of number it asks for
    ('其中公务接待费预算多少': a line naming 公务接待费 without an amount does not answer it)."""
    total = sum(weight(b) for b in want)
    if not total:
        return True
    if q is None:
        return sum(weight(b) for b in want & bigrams(text)) / total >= share
    kinds = [rx for k, rx in (("money", _MONEY), ("percent", _PERCENT), ("count", _COUNT)) if k in q.quantity]
    for line in re.split(r"[「」\n]", text):
        if not kinds:
            windows = [line]
        else:  # the words just before a number of the kind asked for: what that number is of
            starts = [m.start() for rx in [*kinds, _DECIMAL] for m in rx.finditer(line)]
            windows = [line[max(0, i - 16) : i] for i in starts]
        if any(sum(weight(b) for b in want & bigrams(w)) / total >= share for w in windows):
            return True
    return False


_DECIMAL = re.compile(r"(?<![\d.])\d[\d,]*\.\d+")


def next_unit(best: Unit, units: list[Unit]) -> Unit | None:
    """The sentence after the best one in the same passage (a rule goes on: '…得1分；超出10%的，…')."""
    pos = best.hit.text.find(best.text) + len(best.text)
    after = [u for u in units if u.hit.passage_id == best.hit.passage_id and u.hit.text.find(u.text) >= pos]
    return min(after, key=lambda u: u.hit.text.find(u.text)) if after else None
