"""Knowledge base (知识库): everyone reads and searches the articles (question, scenario, script,
evidence); admins and team leads write and edit them. Links: ?dimension=…, ?article=ID."""
import re

import streamlit as st

from core.base.vocabulary import ARTICLE_LANGUAGES, DIMENSIONS, LANGUAGES, SCENARIO_TAGS
from core.people import knowledge
from ui import context, page
from ui.read import read
from ui.write import clear_error, error_of, field_error, flash, submit

ctx = page.open(__file__)
NEW, EDIT = "kb_new", "kb_edit"  # the two forms
PARTS = ("question", "scenario", "script", "evidence")
MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$])")


def plain(text: str) -> str:
    """Article text shown as written: Markdown characters escaped, line breaks kept."""
    return MARKDOWN.sub(r"\\\1", text or "").replace("\n", "  \n")


def dim(d) -> str:
    return ctx.t("people.any") if d is None else ctx.t(f"dim.{d}")


def tag(t) -> str:
    return ctx.t("people.any") if not t else ctx.t(f"scenario.{t}")


def lang_name(code) -> str:
    return ctx.t("people.any") if code is None else LANGUAGES[code]


st.title(ctx.t("knowledge.title"))
st.caption(ctx.t("knowledge.caption"))

# ---- search and filters (a link may preset the dimension or open one article) ----------------------
link_dim = st.query_params.get("dimension")
link_article = st.query_params.get("article")
if link_dim in DIMENSIONS and "kb_dimension" not in st.session_state:
    st.session_state["kb_dimension"] = link_dim
opened = None
if link_article and link_article.isdigit():
    opened = read(knowledge.article, ctx.scope, int(link_article))

c1, c2, c3, c4 = st.columns([3, 2, 2, 1])
query = c1.text_input(ctx.t("knowledge.search"), key="kb_search", max_chars=100,
                      placeholder=ctx.t("knowledge.search_hint"))
dimension = c2.selectbox(ctx.t("knowledge.dimension"), [None, *DIMENSIONS], format_func=dim, key="kb_dimension")
scenario_tag = c3.selectbox(ctx.t("knowledge.scenario"), [None, *SCENARIO_TAGS], format_func=tag, key="kb_tag")
st.session_state.setdefault("kb_language", ctx.lang)
language = c4.selectbox(ctx.t("knowledge.language"), [None, *ARTICLE_LANGUAGES], format_func=lang_name,
                        key="kb_language")
results = read(knowledge.search_articles, ctx.scope, query, dimension=dimension, language=language,
               scenario_tag=scenario_tag)


def show(art, expanded: bool) -> None:
    with st.expander(art["title"], expanded=expanded, icon=":material/article:"):
        meta = [dim(art["dimension"])]
        if art["scenario_tag"]:
            meta.append(tag(art["scenario_tag"]))
        if art["customer_type"]:
            meta.append(ctx.t("knowledge.customer_type", value=art["customer_type"]))
        st.caption(" · ".join(plain(m) for m in meta))
        for part in PARTS:
            if art[part]:
                heading = ctx.t(f"knowledge.part.{part}")
                st.markdown(f"**{heading}**")
                st.markdown(plain(art[part]))
        at = f"{art['updated_at']:%Y-%m-%d %H:%M}"
        st.caption(ctx.t("knowledge.updated", at=at, who=art["author"], version=art["version"]) if art["author"]
                   else ctx.t("knowledge.updated_anon", at=at, version=art["version"]))


if opened is not None:
    show(opened, expanded=True)
elif link_article:
    st.warning(ctx.t("people.err.no_article"))
st.caption(ctx.t("knowledge.count", n=len(results)))
if results.empty:
    st.info(ctx.t("knowledge.none"))
for art in results.to_dict("records"):
    if opened is None or art["id"] != opened["id"]:
        show(art, expanded=len(results) == 1)


# ---- writing: admins and team leads ----------------------------------------------------------------

def form_values(prefix: str) -> dict:
    s = st.session_state
    return {f: s.get(f"{prefix}_{f}") for f in knowledge.ARTICLE_FIELDS}


def create() -> None:
    """Submit callback: a created article empties the form for the next one."""
    s = st.session_state
    if submit(ctx, NEW, knowledge.create_article, now=context.now(), **form_values("kb_new"),
              done=lambda _: ctx.t("knowledge.created", title=s["kb_new_title"].strip())):
        for f in knowledge.ARTICLE_FIELDS:
            s[f"kb_new_{f}"] = {"dimension": None, "language": ctx.lang}.get(f, "")


def saved(article_id: int, new_version: int) -> str:
    st.session_state[f"kb_opened_{article_id}"] = new_version  # the form now shows what was saved
    return ctx.t("knowledge.saved", version=new_version)


def save(article_id: int, version: int, prefix: str) -> None:
    submit(ctx, EDIT, knowledge.update_article, article_id, version, now=context.now(), **form_values(prefix),
           done=lambda new_version: saved(article_id, new_version))


def reload(article_id: int) -> None:
    st.session_state.pop(f"kb_opened_{article_id}", None)
    clear_error(EDIT)


def article_inputs(prefix: str, form: str, values: dict) -> None:
    """The article's fields; ``values`` fills them the first time the form shows (kept in the
    session state, so a callback can clear them without a widget's default getting in the way)."""
    s = st.session_state
    for f in knowledge.ARTICLE_FIELDS:
        s.setdefault(f"{prefix}_{f}", values.get(f) or (None if f == "dimension" else ""))
    if not s[f"{prefix}_language"]:
        s[f"{prefix}_language"] = ctx.lang
    st.text_input(ctx.t("knowledge.f.title"), key=f"{prefix}_title", max_chars=knowledge.TITLE_MAX)
    field_error(form, "title")
    for part in PARTS:
        st.text_area(ctx.t(f"knowledge.f.{part}"), key=f"{prefix}_{part}", max_chars=knowledge.PART_MAX, height=90)
        field_error(form, part)
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        st.selectbox(ctx.t("knowledge.f.dimension"), DIMENSIONS, format_func=dim, key=f"{prefix}_dimension",
                     index=None, placeholder="—")
        field_error(form, "dimension")
    with c2:
        st.selectbox(ctx.t("knowledge.f.scenario_tag"), ["", *SCENARIO_TAGS], format_func=tag,
                     key=f"{prefix}_scenario_tag", index=None)
        field_error(form, "scenario_tag")
    with c3:
        st.text_input(ctx.t("knowledge.f.customer_type"), key=f"{prefix}_customer_type",
                      max_chars=knowledge.CUSTOMER_TYPE_MAX)
        field_error(form, "customer_type")
    with c4:
        st.selectbox(ctx.t("knowledge.f.language"), ARTICLE_LANGUAGES, format_func=LANGUAGES.get,
                     key=f"{prefix}_language", index=None)
        field_error(form, "language")


if ctx.may("article.create"):
    st.divider()
    new_tab, edit_tab = st.tabs([ctx.t("knowledge.new"), ctx.t("knowledge.edit")])
    with new_tab:
        with st.form("kb_new_form"):
            article_inputs("kb_new", NEW, {"language": ctx.lang})
            st.form_submit_button(ctx.t("knowledge.create"), type="primary", on_click=create)
    with edit_tab:
        everything = read(knowledge.search_articles, ctx.scope, limit=1000)
        titles = dict(zip(everything["id"].astype(int), everything["title"]))
        pick = st.selectbox(ctx.t("knowledge.pick"), list(titles), format_func=titles.get, index=None,
                            key="kb_edit_pick", placeholder="—")
        if pick is not None:
            current = read(knowledge.article, ctx.scope, int(pick))
            # the version this person opened: kept until they save or reload, so a save made by
            # someone else in between is found out, not overwritten
            version = st.session_state.setdefault(f"kb_opened_{pick}", current["version"])
            prefix = f"kb_e{pick}v{version}"
            with st.form(f"kb_edit_form_{pick}"):
                field_error(EDIT, None)
                article_inputs(prefix, EDIT, current)
                st.form_submit_button(ctx.t("knowledge.save"), type="primary", on_click=save,
                                      args=(int(pick), version, prefix))
            if error_of(EDIT, None):
                st.button(ctx.t("knowledge.reload"), key="kb_reload", on_click=reload, args=(int(pick),),
                          icon=":material/refresh:")
    flash(NEW)
    flash(EDIT)
