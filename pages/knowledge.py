"""Knowledge base (知识库): everyone reads and searches the articles (question, scenario, script,
evidence); admins and team leads write and edit them. Links: ?dimension=…, ?article=ID."""
import re

import streamlit as st

from core.people import people
from core.base.vocabulary import ARTICLE_LANGUAGES, DIMENSIONS, LANGUAGES, SCENARIO_TAGS
from ui import context, people_data

ctx = context.current()
editor = ctx.role in people.EDITOR_ROLES
ERROR, DONE = "kb_error", "kb_done"  # (form, field, message) of a refused save; the success message
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


def field_error(form: str, field: str | None) -> None:
    err = st.session_state.get(ERROR)
    if err and err[0] == form and err[1] == field:
        st.error(err[2], icon=":material/error:")


st.title(ctx.t("knowledge.title"))
st.caption(ctx.t("knowledge.caption"))

# ---- search and filters (a link may preset the dimension or open one article) ----------------------
link_dim = st.query_params.get("dimension")
link_article = st.query_params.get("article")
if link_dim in DIMENSIONS and "kb_dimension" not in st.session_state:
    st.session_state["kb_dimension"] = link_dim
opened = None
if link_article and link_article.isdigit():
    with context.reader() as session:
        opened = people.article(ctx.scope, session, int(link_article))

c1, c2, c3, c4 = st.columns([3, 2, 2, 1])
query = c1.text_input(ctx.t("knowledge.search"), key="kb_search", max_chars=100,
                      placeholder=ctx.t("knowledge.search_hint"))
dimension = c2.selectbox(ctx.t("knowledge.dimension"), [None, *DIMENSIONS], format_func=dim, key="kb_dimension")
scenario_tag = c3.selectbox(ctx.t("knowledge.scenario"), [None, *SCENARIO_TAGS], format_func=tag, key="kb_tag")
st.session_state.setdefault("kb_language", ctx.lang)
language = c4.selectbox(ctx.t("knowledge.language"), [None, *ARTICLE_LANGUAGES], format_func=lang_name,
                        key="kb_language")
results = people_data.articles(ctx.scope, query, dimension=dimension, language=language, scenario_tag=scenario_tag)


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
    return {f: s.get(f"{prefix}_{f}") for f in people.ARTICLE_FIELDS}


def create(c) -> None:
    s = st.session_state
    s.pop(ERROR, None)
    try:
        with context.write() as session:
            people.create_article(session, c.scope, now=context.now(), **form_values("kb_new"))
    except people.InvalidPeopleInput as exc:
        s[ERROR] = ("new", exc.field, exc.message(c.lang))
        return
    s[DONE] = c.t("knowledge.created", title=s["kb_new_title"].strip())
    for f in people.ARTICLE_FIELDS:
        s[f"kb_new_{f}"] = {"dimension": None, "language": c.lang}.get(f, "")


def save(c, article_id: int, version: int, prefix: str) -> None:
    s = st.session_state
    s.pop(ERROR, None)
    try:
        with context.write() as session:
            new_version = people.update_article(session, c.scope, article_id, version, now=context.now(),
                                                **form_values(prefix))
    except (people.InvalidPeopleInput, people.EditConflict) as exc:
        s[ERROR] = ("edit", exc.field, exc.message(c.lang))
        return
    s[f"kb_opened_{article_id}"] = new_version  # the form now shows what was saved
    s[DONE] = c.t("knowledge.saved", version=new_version)


def reload(article_id: int) -> None:
    st.session_state.pop(f"kb_opened_{article_id}", None)
    st.session_state.pop(ERROR, None)


def article_inputs(prefix: str, form: str, values: dict) -> None:
    """The article's fields; ``values`` fills them the first time the form shows (kept in the
    session state, so a callback can clear them without a widget's default getting in the way)."""
    s = st.session_state
    for f in people.ARTICLE_FIELDS:
        s.setdefault(f"{prefix}_{f}", values.get(f) or (None if f == "dimension" else ""))
    if not s[f"{prefix}_language"]:
        s[f"{prefix}_language"] = ctx.lang
    st.text_input(ctx.t("knowledge.f.title"), key=f"{prefix}_title", max_chars=people.TITLE_MAX)
    field_error(form, "title")
    for part in PARTS:
        st.text_area(ctx.t(f"knowledge.f.{part}"), key=f"{prefix}_{part}", max_chars=people.PART_MAX, height=90)
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
                      max_chars=people.CUSTOMER_TYPE_MAX)
        field_error(form, "customer_type")
    with c4:
        st.selectbox(ctx.t("knowledge.f.language"), ARTICLE_LANGUAGES, format_func=LANGUAGES.get,
                     key=f"{prefix}_language", index=None)
        field_error(form, "language")


if editor:
    st.divider()
    new_tab, edit_tab = st.tabs([ctx.t("knowledge.new"), ctx.t("knowledge.edit")])
    with new_tab:
        with st.form("kb_new_form"):
            article_inputs("kb_new", "new", {"language": ctx.lang})
            st.form_submit_button(ctx.t("knowledge.create"), type="primary", on_click=create, args=(ctx,))
    with edit_tab:
        everything = people_data.articles(ctx.scope, limit=1000)
        titles = dict(zip(everything["id"].astype(int), everything["title"]))
        pick = st.selectbox(ctx.t("knowledge.pick"), list(titles), format_func=titles.get, index=None,
                            key="kb_edit_pick", placeholder="—")
        if pick is not None:
            with context.reader() as session:
                current = people.article(ctx.scope, session, int(pick))
            # the version this person opened: kept until they save or reload, so a save made by
            # someone else in between is found out, not overwritten
            version = st.session_state.setdefault(f"kb_opened_{pick}", current["version"])
            prefix = f"kb_e{pick}v{version}"
            with st.form(f"kb_edit_form_{pick}"):
                field_error("edit", None)
                article_inputs(prefix, "edit", current)
                st.form_submit_button(ctx.t("knowledge.save"), type="primary", on_click=save,
                                      args=(ctx, int(pick), version, prefix))
            err = st.session_state.get(ERROR)
            if err and err[0] == "edit" and err[1] is None:
                st.button(ctx.t("knowledge.reload"), key="kb_reload", on_click=reload, args=(int(pick),),
                          icon=":material/refresh:")
    if DONE in st.session_state:
        st.success(st.session_state.pop(DONE), icon=":material/check_circle:")
