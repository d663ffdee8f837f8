"""Capability (能力雷达): a rep's 1–5 scores in the four dimensions against the team average, with
their history; the weakest dimension links to its knowledge articles. A lead picks among their own
reps and assesses them; a rep sees only their own radar, whatever the URL says."""
import pandas as pd
import streamlit as st

from core.base import org
from core.base.vocabulary import DIMENSIONS, SCORES
from core.people import capability, knowledge
from ui import charts, context, page
from ui.read import read, settings as read_settings
from ui.write import flash, form_error, submit

ctx = page.open(__file__)
labels = {d: ctx.t(f"dim.{d}") for d in DIMENSIONS}

st.title(ctx.t("capability.title"))
st.caption(ctx.t("capability.caption"))

# ---- whose radar: the caller's own reps only (a rep: themself); ?rep=ID deep-links to one of them ----
reps = read(org.active_reps, ctx.scope)
if reps.empty:
    st.info(ctx.t("capability.no_reps"))
    st.stop()
several_teams = reps["team_id"].nunique() > 1
names = {int(r.id): f"{r.display_name} · {r.team}" if several_teams else r.display_name for r in reps.itertuples()}
asked = st.query_params.get("rep")
wanted = int(asked) if asked is not None and asked.isdigit() and int(asked) in names else None
if ctx.scope.own_only:
    chosen = ctx.account.id
else:
    # the widget's own state wins; the URL only chooses on arrival
    if st.session_state.get("capability_rep") not in names:
        st.session_state["capability_rep"] = wanted if wanted is not None else next(iter(names))
    chosen = st.selectbox(ctx.t("people.rep"), list(names), format_func=names.get, key="capability_rep")
if asked is not None and wanted is None:
    st.warning(ctx.t("capability.bad_rep", name=names[chosen]))
st.query_params["rep"] = str(chosen)
name = reps.loc[reps["id"] == chosen, "display_name"].iloc[0]

# ---- the radar, and what to read for the weakest dimension -------------------------------------------
radar = read(capability.capability_radar, ctx.scope, chosen)
scored = radar["score"].notna()
left, right = st.columns([3, 2], gap="large")
with left:
    if not scored.any():
        st.info(ctx.t("capability.not_assessed", name=name))
    else:
        chart = charts.capability_radar(radar, labels, rep_name=name, team_name=ctx.t("capability.team_average"))
        st.altair_chart(chart, width="content", key="radar_chart")
        missing = [labels[d] for d in radar.loc[~scored, "dimension"]]
        if missing:
            st.caption(ctx.t("capability.unscored", dims=ctx.t("list.sep").join(missing)))
        if ctx.scope.own_only and radar["team_average"].isna().all():
            st.caption(ctx.t("capability.team_hidden", n=read_settings(ctx.scope)["capability_team_min_reps"]))
with right:
    weakest = capability.weakest_dimension(radar)
    if weakest is not None:
        score = radar.loc[radar["dimension"] == weakest, "score"].iloc[0]
        st.markdown(ctx.t("capability.weakest", dim=labels[weakest], score=f"{score:g}"))
        articles = read(knowledge.articles_for_dimension, ctx.scope, weakest, ctx.lang)
        if articles.empty:
            st.caption(ctx.t("capability.no_articles"))
        for art in articles.itertuples():
            st.page_link("pages/knowledge.py", label=art.title, icon=":material/article:",
                         query_params={"article": str(art.id)})
        st.page_link("pages/knowledge.py", label=ctx.t("capability.all_articles", dim=labels[weakest]),
                     icon=":material/menu_book:", query_params={"dimension": weakest})

# ---- history ---------------------------------------------------------------------------------------
st.subheader(ctx.t("capability.history"))
history = read(capability.capability_history, ctx.scope, chosen)
if history.empty:
    st.write(ctx.t("capability.no_history"))
else:
    st.altair_chart(charts.capability_history(history, labels, date_title=ctx.t("capability.date_axis"),
                                              score_title=ctx.t("capability.score_axis")),
                    width="stretch", key="history_chart")
    shown = history.drop(columns=["owner_id"]).assign(dimension=history["dimension"].map(labels))
    st.dataframe(shown.iloc[::-1].rename(columns=lambda c: ctx.t(f"people.col.{c}")), hide_index=True,
                 width="stretch", key="history_table")

# ---- a lead assesses their rep -----------------------------------------------------------------------
if ctx.may("capability.assess"):
    current = dict(zip(radar["dimension"], radar["score"]))
    with st.form(f"assess_form_{chosen}"):
        st.subheader(ctx.t("capability.assess", name=name))
        cols = st.columns(len(DIMENSIONS))
        scores = {}
        for col, d in zip(cols, DIMENSIONS):
            now_score = current.get(d)
            scores[d] = col.select_slider(labels[d], options=SCORES, key=f"assess_{chosen}_{d}",
                                          value=int(now_score) if pd.notna(now_score) else 3)
        note = st.text_input(ctx.t("capability.assess_note"), key=f"assess_note_{chosen}",
                             max_chars=capability.NOTE_MAX)
        submitted = st.form_submit_button(ctx.t("capability.assess_submit"), type="primary")
    if submitted and submit(ctx, "assess", capability.assess_capability, rep_id=int(chosen), scores=scores, note=note,
                            now=context.now(), done=lambda _: ctx.t("capability.assessed", name=name)):
        st.rerun()
    form_error("assess")
    flash("assess")
