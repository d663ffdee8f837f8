"""Every user-facing string, in English and Simplified Chinese, through one function: ``t``."""
from __future__ import annotations

LANGUAGES = {"zh": "简体中文", "en": "English"}

EN: dict[str, str] = {}
ZH: dict[str, str] = {}


def _add(key: str, en: str, zh: str) -> None:
    EN[key], ZH[key] = en, zh


def t(lang: str, key: str, **kw) -> str:
    """The text for ``key`` in ``lang`` (falls back to English, then to the key itself)."""
    catalog = ZH if lang == "zh" else EN
    text = catalog.get(key) or EN.get(key) or key
    return text.format(**kw) if kw else text


# ---- shared words ----
_add("list.sep", ", ", "、")
_add("app.title", "Sales Cockpit", "销售驾驶舱")
_add("role.director", "Director", "销售总监")
_add("role.lead", "Team lead", "片区经理")
_add("role.rep", "Sales rep", "销售")
_add("role.finance", "Finance", "财务")
_add("role.admin", "Admin", "系统管理员")
_add("common.all", "All", "全部")
_add("common.none", "None", "无")
_add("common.save", "Save", "保存")
_add("common.download_csv", "Download CSV", "下载 CSV")
_add("common.download_xlsx", "Download Excel", "下载 Excel")
_add("common.no_rows", "Nothing to show for this selection.", "当前筛选条件下没有记录。")
_add("common.showing", "Showing {shown} of {total}.", "显示 {total} 条中的 {shown} 条。")

# ---- cockpit lights ----
_add("light.first_response", "{hours} h first response", "{hours}小时首次响应")
_add("what.late_leads", "late leads", "超时未响应线索")
_add("what.late_steps", "late or missing “{step}”", "超时或缺失的“{step}”")
_add("explain.team", "{names} hold {share}% of the {misses} {what}.",
     "{names}占了{misses}条{what}中的{share}%。")
_add("explain.rep", "{names} hold {share}% of the {misses} {what}.",
     "{names}占了{misses}条{what}中的{share}%。")
