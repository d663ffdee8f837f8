"""Duplicate detection on lead entry (SPEC §3): phone numbers and Chinese company names, normalised.

Phones are parsed with ``phonenumbers`` for region CN: "+86 138-0013-8000", "138 0013 8000" and
"13800138000" are the same number (E.164 "+8613800138000"); a landline keeps its area code
("0571-8888 6666" → "+8657188886666"). Only valid Chinese mobile and landline numbers are accepted.

Company names are reduced to their *core* before they are compared:

1. NFKC (full-width letters, digits and brackets become half-width), lower case;
2. bracketed parts go: "越州酒业（杭州）有限公司" → "越州酒业有限公司";
3. everything from the first legal form on goes, so a branch's name goes with it:
   "越州酒业有限公司上城分公司" → "越州酒业"; then trailing suffixes such as 集团, 公司, 分公司, 厂,
   商行, 店 (and English "Co., Ltd.", "Inc." …), repeatedly;
4. leading place names go: a province (autonomous region, municipality, SAR), then a
   prefecture-level city (prefecture, autonomous prefecture, league), each in its full or short form
   ("浙江省杭州市越州酒业" and "杭州越州酒业" → "越州酒业"), then — only after a city — a district or
   county ("杭州市西湖区越州酒业" → "越州酒业");
5. spaces and punctuation go.

A place is never stripped when fewer than ``MIN_CORE_CHARS`` characters would remain: "杭州华康"
keeps its city (core "杭州华康"), or every short name of a city would collapse to a two-character
leftover and "杭州华康" would equal "上海华康", "北京大学" "中山大学".

The *brand* is the core without its trailing trade words (TRADE_WORDS: 医疗器械, 酒业, 物流, 科技,
人民医院 …), never shorter than ``MIN_BRAND_CHARS``: "华康医疗器械" → "华康".

Similarity (0–1, rapidfuzz ``fuzz.ratio``: twice the longest common subsequence over the summed
lengths), with a minimum length guard — a string shorter than ``MIN_CORE_CHARS`` is similar only
to itself, so one- and two-character leftovers never match everything:

- 0 when the brands differ (brand similarity below the threshold): trade words are shared by
  thousands of customers, so "华康医疗器械" vs "华远医疗器械" (cores 0.83 alike) are two companies;
- else the similarity of the cores; or of the brands when one name carries no trade words
  ("华为" vs "华为技术有限公司": 1.0).

Two names match when their similarity reaches the threshold (setting ``duplicate_name_similarity``,
default 0.8, SPEC §3). Consequences, on purpose:

- "杭州越州酒业有限公司" and "越州酒业" match (cores equal);
- "杭州越州酒业" and "杭州越洋物流" do not (brands 越州 vs 越洋);
- "北京华康医疗器械有限公司" and "上海华康医疗器械" DO match: the rule drops the cities and the cores
  are equal. The same brand and trade in two cities is often one company (a branch, a second
  office), so the user is shown the match and decides — opening it, or confirming "create anyway";
- two different short names that share only a city ("杭州华康" vs "杭州瑞泰", "杭州华康" vs
  "杭州华泰") do not match: their city is kept and the rest differs;
- "杭州市第一人民医院" and "杭州市第二人民医院" do not match (brands 第一 vs 第二);
- known limits: a brand that *is* a city name ("安康医疗器械") loses it like a place does (it then
  matches only the same name); the same brand in another trade ("华康物流") or another wording of
  the trade ("越州酒类贸易" vs "越州酒业", 0.6) is not a match.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType
from rapidfuzz import fuzz, process

MIN_CORE_CHARS = 3
DEFAULT_SIMILARITY = 0.8
PHONE_MAX = 40
_PHONE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE)

# ---- places ------------------------------------------------------------------------------------

# The 34 provincial-level divisions: full name → short name.
PROVINCES: dict[str, str] = {
    "北京市": "北京", "天津市": "天津", "上海市": "上海", "重庆市": "重庆",
    "河北省": "河北", "山西省": "山西", "辽宁省": "辽宁", "吉林省": "吉林", "黑龙江省": "黑龙江",
    "江苏省": "江苏", "浙江省": "浙江", "安徽省": "安徽", "福建省": "福建", "江西省": "江西",
    "山东省": "山东", "河南省": "河南", "湖北省": "湖北", "湖南省": "湖南", "广东省": "广东",
    "海南省": "海南", "四川省": "四川", "贵州省": "贵州", "云南省": "云南", "陕西省": "陕西",
    "甘肃省": "甘肃", "青海省": "青海", "台湾省": "台湾",
    "内蒙古自治区": "内蒙古", "广西壮族自治区": "广西", "西藏自治区": "西藏",
    "宁夏回族自治区": "宁夏", "新疆维吾尔自治区": "新疆",
    "香港特别行政区": "香港", "澳门特别行政区": "澳门",
}

# The 333 prefecture-level divisions, by province: cities ("市" added), then prefectures,
# autonomous prefectures and leagues as (full name, short name).
_CITIES: dict[str, str] = {
    "河北": "石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水",
    "山西": "太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁",
    "内蒙古": "呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布",
    "辽宁": "沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛",
    "吉林": "长春 吉林 四平 辽源 通化 白山 松原 白城",
    "黑龙江": "哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化",
    "江苏": "南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁",
    "浙江": "杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水",
    "安徽": "合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城",
    "福建": "福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德",
    "江西": "南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶",
    "山东": "济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽",
    "河南": "郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店",
    "湖北": "武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州",
    "湖南": "长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底",
    "广东": "广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 "
            "潮州 揭阳 云浮",
    "广西": "南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左",
    "海南": "海口 三亚 三沙 儋州",
    "四川": "成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳",
    "贵州": "贵阳 六盘水 遵义 安顺 毕节 铜仁",
    "云南": "昆明 曲靖 玉溪 保山 昭通 丽江 普洱 临沧",
    "西藏": "拉萨 日喀则 昌都 林芝 山南 那曲",
    "陕西": "西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛",
    "甘肃": "兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南",
    "青海": "西宁 海东",
    "宁夏": "银川 石嘴山 吴忠 固原 中卫",
    "新疆": "乌鲁木齐 克拉玛依 吐鲁番 哈密",
}
_OTHER_PREFECTURES: tuple[tuple[str, str], ...] = (
    ("兴安盟", "兴安"), ("锡林郭勒盟", "锡林郭勒"), ("阿拉善盟", "阿拉善"),
    ("延边朝鲜族自治州", "延边"), ("大兴安岭地区", "大兴安岭"),
    ("恩施土家族苗族自治州", "恩施"), ("湘西土家族苗族自治州", "湘西"),
    ("阿坝藏族羌族自治州", "阿坝"), ("甘孜藏族自治州", "甘孜"), ("凉山彝族自治州", "凉山"),
    ("黔西南布依族苗族自治州", "黔西南"), ("黔东南苗族侗族自治州", "黔东南"), ("黔南布依族苗族自治州", "黔南"),
    ("楚雄彝族自治州", "楚雄"), ("红河哈尼族彝族自治州", "红河"), ("文山壮族苗族自治州", "文山"),
    ("西双版纳傣族自治州", "西双版纳"), ("大理白族自治州", "大理"), ("德宏傣族景颇族自治州", "德宏"),
    ("怒江傈僳族自治州", "怒江"), ("迪庆藏族自治州", "迪庆"),
    ("阿里地区", "阿里"),
    ("临夏回族自治州", "临夏"), ("甘南藏族自治州", "甘南"),
    ("海北藏族自治州", "海北"), ("黄南藏族自治州", "黄南"), ("海南藏族自治州", "海南"),
    ("果洛藏族自治州", "果洛"), ("玉树藏族自治州", "玉树"), ("海西蒙古族藏族自治州", "海西"),
    ("昌吉回族自治州", "昌吉"), ("博尔塔拉蒙古自治州", "博尔塔拉"), ("巴音郭楞蒙古自治州", "巴音郭楞"),
    ("克孜勒苏柯尔克孜自治州", "克孜勒苏"), ("伊犁哈萨克自治州", "伊犁"),
    ("阿克苏地区", "阿克苏"), ("喀什地区", "喀什"), ("和田地区", "和田"), ("塔城地区", "塔城"),
    ("阿勒泰地区", "阿勒泰"),
)
# County-level cities and areas administered directly by their province, often written alone.
# (东方 in Hainan is left out: as a brand it is far more common than as a place.)
_DIRECT_COUNTY_CITIES = "济源 仙桃 潜江 天门 五指山 文昌 琼海 万宁 石河子 阿拉尔 图木舒克 五家渠"

PREFECTURES: dict[str, str] = {f"{name}市": name for names in _CITIES.values() for name in names.split()}
PREFECTURES.update(dict(_OTHER_PREFECTURES))
PREFECTURES.update({f"{name}市": name for name in _DIRECT_COUNTY_CITIES.split()})
PREFECTURES["神农架林区"] = "神农架"


def _prefix_table(names: dict[str, str]) -> tuple[dict[str, str], tuple[int, ...]]:
    """Written form (full or short) → short name, and the forms' lengths longest first: a prefix
    is found with one dict look-up per length, and "黑龙江省" wins over a shorter reading."""
    forms = {**names, **{short: short for short in names.values()}}
    return forms, tuple(sorted({len(f) for f in forms}, reverse=True))


_PROVINCE_FORMS = _prefix_table(PROVINCES)
_CITY_FORMS = _prefix_table(PREFECTURES)
# a district or county right after a city ("西湖区", "萧山区", "淳安县"); not "…市", which would take
# "华康超市" for a county-level city
_DISTRICT = re.compile(r"^([\u4e00-\u9fff]{1,3}?(?:新区|区|县|旗))")

# ---- suffixes ----------------------------------------------------------------------------------

_LEGAL_FORM = re.compile(r"(股份有限公司|有限责任公司|有限公司|股份公司)")
_SUFFIXES = tuple(sorted((
    "集团", "公司", "分公司", "总公司", "子公司", "集团公司", "总部", "分部", "厂", "总厂", "分厂", "商行",
    "店", "分店", "总店", "经营部", "门市部", "营业部", "办事处", "工作室",
), key=len, reverse=True))
_EN_SUFFIX = re.compile(
    r"[\s,.]*\b(co\.?,?\s*ltd\.?|company\s+limited|corporation|company|limited|ltd\.?|inc\.?|corp\.?|llc|gmbh|"
    r"group|co\.?)\s*$")
_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕|<[^<>]*>|《[^《》]*》")
_SUFFIX_RE = re.compile("(?:" + "|".join(_SUFFIXES) + ")$")
_HAS_LATIN = re.compile(r"[a-z]")
_NOT_WORD = re.compile(r"[^\w]|_", re.UNICODE)


def _strip_suffixes(name: str) -> str:
    head = _LEGAL_FORM.split(name, maxsplit=1)[0]
    if head.strip() or _LEGAL_FORM.fullmatch(name.strip()):
        name = head
    while True:
        m = _SUFFIX_RE.search(name)
        if m and m.start() > 0:
            name = name[: m.start()]
            continue
        if name.isascii() or _HAS_LATIN.search(name):
            stripped = _EN_SUFFIX.sub("", name)
            if stripped != name and stripped.strip():
                name = stripped
                continue
        return name


def _strip_place(name: str, table: tuple[dict[str, str], tuple[int, ...]]) -> tuple[str, str | None]:
    """Drop the longest leading place of ``forms``; where fewer than MIN_CORE_CHARS characters would
    remain, keep it in its short form instead ("杭州市华康" → "杭州华康"), and do not try a shorter
    reading of it ("哈尔滨市华康" must not become "市华康")."""
    forms, lengths = table
    for length in lengths:
        short = forms.get(name[:length])
        if short is not None:
            rest = name[length:]
            if len(rest) >= MIN_CORE_CHARS:
                return rest, short
            return short + rest, None
    return name, None


# Trade words: what a company does, not who it is ("华康医疗器械" and "华远医疗器械" share four of six
# characters but are two companies). Stripped from the end of a core to get its brand.
TRADE_WORDS = tuple(sorted(set("""
医疗器械 医疗设备 医疗科技 医疗 医药 药业 大药房 药房 制药 生物科技 生物 健康 人民医院 中心医院 中医院 医院 分院
骨科医院 眼科医院 妇产医院 口腔诊所 中医诊所 诊所 口腔 骨科 眼科 妇产
科技 技术 信息技术 网络科技 网络 信息 软件 数据 智能 电子科技 电子 电器 电气 通信 自动化
机械制造 精密制造 机械 制造 设备 新材料 材料 化工 能源 新能源 环保 实业 工业
贸易 商贸 国际贸易 进出口 酒业 酒类贸易 酒类 名酒 名烟名酒 烟酒 酒业连锁 食品 饮料 茶业 农业
物流 快运 供应链管理 供应链 仓储 运输 货运 建设 建筑 工程 装饰 房地产 置业 投资 控股 发展 管理 咨询 服务
文化传媒 传媒 广告 教育科技 教育 教育集团 培训学校 培训 职业技术学校 学校
服饰 服装 纺织 百货 超市 便利连锁 便利 连锁 生活馆 汽车 汽配 家具 家居 印刷 包装 塑料 五金 钢铁 金属
""".split()), key=len, reverse=True))
_TRADE_RE = re.compile("(?:" + "|".join(TRADE_WORDS) + ")$")
MIN_BRAND_CHARS = 2


@dataclass(frozen=True)
class NameKey:
    """A company name reduced for comparison: ``core`` without legal forms, brackets and places
    ("华康医疗器械"), ``brand`` the core without its trailing trade words ("华康")."""
    core: str
    brand: str

    @property
    def has_trade(self) -> bool:
        return self.brand != self.core


@lru_cache(maxsize=65536)
def name_key(name: str) -> NameKey:
    """The core and brand of a company name (see the module docstring)."""
    text = unicodedata.normalize("NFKC", name or "").lower().strip()
    text = _BRACKETS.sub("", text)
    text = _strip_suffixes(text)
    text = _NOT_WORD.sub("", text)
    text, _province = _strip_place(text, _PROVINCE_FORMS)
    text, city = _strip_place(text, _CITY_FORMS)
    if city:
        m = _DISTRICT.match(text)
        if m and len(text) - len(m.group(1)) >= MIN_CORE_CHARS:
            text = text[len(m.group(1)):]
    core = _strip_suffixes(text)
    brand = core
    while (m := _TRADE_RE.search(brand)) and m.start() >= MIN_BRAND_CHARS:
        brand = brand[: m.start()]
    return NameKey(core, brand)


def company_core(name: str) -> str:
    """The core of a company name: legal forms, brackets and places gone ("" for no name)."""
    return name_key(name).core


def names_a_company(name: str) -> bool:
    """Whether anything is left of ``name`` that is neither a legal form, a suffix nor a place
    ("有限公司", "公司", "杭州市有限公司" name no company)."""
    core = company_core(name)
    return bool(core) and core not in _SUFFIXES and core not in _PROVINCE_FORMS[0] and core not in _CITY_FORMS[0]


def text_ratio(a: str, b: str) -> float:
    """fuzz.ratio 0–1 with the minimum length guard: a string shorter than MIN_CORE_CHARS is
    similar only to itself (1.0, else 0.0)."""
    if not a or not b:
        return 0.0
    if len(a) < MIN_CORE_CHARS or len(b) < MIN_CORE_CHARS:
        return 1.0 if a == b else 0.0
    return fuzz.ratio(a, b) / 100.0


def key_similarity(a: NameKey, b: NameKey, threshold: float = DEFAULT_SIMILARITY) -> float:
    """Similarity 0–1 of two reduced names: 0 when their brands differ (brand similarity below
    ``threshold``); else the similarity of the cores, or of the brands when one name has no trade
    words ("华为" against "华为技术")."""
    if not a.core or not b.core or text_ratio(a.brand, b.brand) < threshold - 1e-9:
        return 0.0
    if not a.has_trade or not b.has_trade:
        return text_ratio(a.brand, b.brand)
    return text_ratio(a.core, b.core)


def name_similarity(a: str, b: str, threshold: float = DEFAULT_SIMILARITY) -> float:
    """Similarity 0–1 of two company names (see key_similarity)."""
    return key_similarity(name_key(a), name_key(b), threshold)


def similar_names(name: str, candidates: dict[int, str], threshold: float = DEFAULT_SIMILARITY,
                  limit: int = 10) -> list[tuple[int, float]]:
    """(id, similarity) of the candidates whose name is at least ``threshold`` similar to ``name``,
    best first. ``candidates``: id → company name. rapidfuzz picks, over all candidates at once,
    those whose core or brand comes near enough; the full rule then decides on those few."""
    key = name_key(name)
    if not key.core or not candidates:
        return []
    keys = {cid: name_key(n) for cid, n in candidates.items()}
    cutoff = threshold * 100 - 1e-9
    near = {cid for _, _, cid in process.extract(key.core, {c: k.core for c, k in keys.items()}, scorer=fuzz.ratio,
                                                 score_cutoff=cutoff, limit=None)}
    near |= {cid for _, _, cid in process.extract(key.brand, {c: k.brand for c, k in keys.items()},
                                                  scorer=fuzz.ratio, score_cutoff=cutoff, limit=None)}
    scored = [(cid, key_similarity(key, keys[cid], threshold)) for cid in near]
    hits = sorted(((cid, sim) for cid, sim in scored if sim >= threshold - 1e-9), key=lambda h: (-h[1], h[0]))
    return hits[:limit]


def prefilter_terms(name: str) -> list[str]:
    """Substrings one of which every matching company's name contains, for an SQL prefilter.

    For cores of at least MIN_CORE_CHARS characters: their two-character pieces. Two strings of
    lengths n and m without a common two-character piece have a longest common subsequence of at
    most (n + m + 1) / 3, so a similarity 2·LCS/(n + m) ≥ 0.8 with n + m ≥ 6 implies a shared piece.
    A shorter core matches only itself: the core. (The prefilter looks at the stored names, which
    hold their core's characters in order unless punctuation or brackets sit inside it.)"""
    core = company_core(name)
    if not core:
        return []
    if len(core) < MIN_CORE_CHARS:
        return [core]
    return list(dict.fromkeys(core[i:i + 2] for i in range(len(core) - 1)))


# ---- phones ------------------------------------------------------------------------------------

def _parse_phone(raw: str | None) -> phonenumbers.PhoneNumber | None:
    text = unicodedata.normalize("NFKC", raw or "").strip()
    if not text or len(text) > PHONE_MAX:
        return None
    try:
        number = phonenumbers.parse(text, "CN")
    except NumberParseException:
        return None
    if (not phonenumbers.is_valid_number(number) or phonenumbers.region_code_for_number(number) != "CN"
            or phonenumbers.number_type(number) not in _PHONE_TYPES):
        return None
    return number


def normalize_phone(raw: str | None) -> str | None:
    """E.164 ("+8613800138000") of a valid Chinese mobile or landline number, else None."""
    number = _parse_phone(raw)
    return None if number is None else phonenumbers.format_number(number, PhoneNumberFormat.E164)


def display_phone(raw: str | None) -> str | None:
    """The number as it is stored on a lead: national digits, a landline with its 0 and area code
    ("13800138000", "057188886666"); None when it is not a valid Chinese mobile or landline."""
    number = _parse_phone(raw)
    if number is None:
        return None
    return re.sub(r"\D", "", phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL))


def national_number(raw: str | None) -> str | None:
    """The national significant number ("13800138000", "57188886666"): every stored form of the
    number ends with it once separators are removed, whatever the prefix (+86, 86, 0)."""
    number = _parse_phone(raw)
    return None if number is None else str(number.national_number)


def same_phone(a: str | None, b: str | None) -> bool:
    na = normalize_phone(a)
    return na is not None and na == normalize_phone(b)


PHONE_SEPARATORS: tuple[str, ...] = ("-", " ", "+", "(", ")", ".", "（", "）", "－", "/")


def strip_separators(column, separators: Iterable[str] = PHONE_SEPARATORS):
    """An SQL expression: ``column`` with the separators people put in phone numbers removed."""
    from sqlalchemy import func

    expr = column
    for sep in separators:
        expr = func.replace(expr, sep, "")
    return expr
