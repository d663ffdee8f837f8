"""Collections (回款): the collection rate to date, this month and this quarter as lights with their
explanation; a bar per region → click → its teams → click → their reps → click → the rep's contracts,
the path kept as breadcrumbs in the URL; from a contract, one click asks its owner to collect (a to-do
in their inbox); the ageing of what is overdue by team. Every table downloads as the user sees it."""
import pandas as pd
import streamlit as st

from core.cash import collections as coll
from ui import cash_charts, context, page, widgets
from ui.read import minute, read
from ui.write import field_error, flash, submit

ctx = page.open(__file__)
now = minute()
PATH = ("region", "team", "rep")  # the URL's query parameters, top down
CHART = "coll_chart_"  # + the level: a new chart (and selection) per level
FORM = "collection_todo"
MONEY = st.column_config.NumberColumn(format="¥%,.0f")


def money(value) -> str:
    return "—" if value is None or pd.isna(value) else f"¥{float(value):,.0f}"


def pct(value) -> str:
    return "—" if value is None or pd.isna(value) else f"{value:.1f}%"


def param(name: str) -> int | None:
    """An id from the URL; -1 (which names nothing) when it is not a number."""
    value = st.query_params.get(name)
    if value is None:
        return None
    return int(value) if value.isdigit() and len(value) < 12 else -1


def go(params: dict, from_crumb: bool = True) -> None:
    """Move the path to ``params``: the URL changes. A crumb's click (a callback, before any chart
    is drawn) also forgets the charts' selections, so the level it opens starts afresh."""
    for key in PATH:
        st.query_params.pop(key, None)
    for key, value in params.items():
        st.query_params[key] = str(value)
    if from_crumb:
        for key in [k for k in st.session_state if str(k).startswith(CHART)]:
            del st.session_state[key]
    st.session_state.pop("coll_todo_contract", None)


def columns(df: pd.DataFrame) -> pd.DataFrame:
    return df.rename(columns=lambda c: ctx.t(f"coll.col.{c}"))


def money_columns(*names: str) -> dict:
    return {ctx.t(f"coll.col.{n}"): MONEY for n in names}


# ---- the path: region → team → rep, from the URL -------------------------------------------------
own = ctx.scope.own_only
ids = {key: param(key) for key in PATH}
if own:  # a rep starts, and stays, at their own contracts
    ids = {"region": None, "team": None, "rep": ctx.scope.user_id}
path = read(coll.drill_path, ctx.scope, ids["region"], ids["team"], ids["rep"])
if not path.ok:
    st.warning(ctx.t("coll.bad_path"))
    ids = {"region": None, "team": None, "rep": ctx.scope.user_id if own else None}
    path = read(coll.drill_path, ctx.scope, ids["region"], ids["team"], ids["rep"])
if path.rep:
    level = "contracts"
elif path.team:
    level = "rep"
elif path.region:
    level = "team"
else:
    level = "region" if ctx.scope.sees_all else "team"
flt = coll.CollectionFilters(path.region[0] if path.region else None, path.team[0] if path.team else None,
                             path.rep[0] if path.rep else None)

st.title(ctx.t("coll.title_rep" if own else "coll.title"))
st.caption(ctx.t("coll.subtitle_rep" if own else "coll.subtitle"))

# ---- breadcrumbs: 全部 › 华北大区 › 北京办事处 › 张三, each a way back ------------------------------
if not own:
    crumbs = [(ctx.t("coll.crumb.all" if ctx.scope.sees_all else "coll.crumb.my_teams"), {})]
    so_far: dict = {}
    for key, part in zip(PATH, (path.region, path.team, path.rep)):
        if part:
            so_far = so_far | {key: part[0]}
            crumbs.append((part[1], so_far))
    with st.container(horizontal=True, key="coll_crumbs", vertical_alignment="center", gap="small"):
        for i, (label, params) in enumerate(crumbs):
            if i:
                st.markdown("›")
            if i == len(crumbs) - 1:
                st.markdown(f"**{label}**")
            else:
                st.button(label, key=f"coll_crumb_{i}", type="tertiary", on_click=go, args=(params,))

# ---- the three lights ------------------------------------------------------------------------------
lights = read(coll.collection_lights, ctx.scope, flt, now, ctx.lang)
for col, light in zip(st.columns(len(lights)), lights):
    with col.container(border=True, key=f"coll_light_{light.window}"):
        widgets.light_badge(ctx, light.color)
        since = ctx.t("coll.since_start") if light.start is None else str(light.start)
        st.metric(light.label, pct(light.rate),
                  help=ctx.t("coll.rate_help", start=since, end=light.end))
        if light.due > 0:
            st.caption(ctx.t("coll.light_counts", received=money(light.received), due=money(light.due),
                             outstanding=money(light.outstanding)))
        else:
            st.caption(ctx.t("coll.nothing_due"))
        if light.explanation:
            st.write(light.explanation.sentence)

# ---- the bars of the current level: a click goes one level down -----------------------------------
if level != "contracts":
    st.subheader(ctx.t(f"coll.by.{level}"))
    window = st.segmented_control(ctx.t("coll.window"), list(coll.WINDOWS), default="to_date", key="coll_window",
                                  format_func=lambda w: ctx.t(f"coll.window.{w}")) or "to_date"
    rows = read(coll.collection_by, ctx.scope, flt, now, level, window)
    if rows.empty:
        st.info(ctx.t("coll.nothing_due_level"))
    else:
        names = rows["name"].fillna(ctx.t("coll.no_team"))
        twice = names.duplicated(keep=False)  # two reps of the same name: tell them apart by id
        names = names.where(~twice, names + " #" + rows["id"].astype(str))
        shown = rows.assign(name=names)
        bars = shown.assign(caption=[ctx.t("coll.bar_caption", rate=pct(r.rate), outstanding=money(r.outstanding))
                                     for r in shown.itertuples()])
        chart = cash_charts.collection_bars(
            bars, name_title=ctx.t(f"coll.col.{level}"), rate_title=ctx.t("coll.col.rate"),
            due_title=ctx.t("coll.col.due"), received_title=ctx.t("coll.col.received"),
            outstanding_title=ctx.t("coll.col.outstanding"))
        event = st.altair_chart(chart, on_select="rerun", key=CHART + level, width="stretch")
        picked = (event or {}).get("selection", {}).get(cash_charts.PICK) or []
        known = {int(i) for i in rows["id"].dropna()}
        chosen = picked[0].get("id") if picked else None
        if chosen is not None and int(chosen) in known:
            here = {k: part[0] for k, part in zip(PATH, (path.region, path.team, path.rep)) if part}
            go(here | {level: int(chosen)}, from_crumb=False)
            st.rerun()  # the next level; this chart is not drawn again, so its selection is dropped
        st.caption(ctx.t(f"coll.click_hint.{level}"))
        table = columns(shown.drop(columns=["id", "color", *(["owner_id"] if "owner_id" in shown else [])])
                        .rename(columns={"name": level}))
        st.dataframe(table, hide_index=True, width="stretch", key="coll_by_table",
                     column_config=money_columns("due", "received", "outstanding")
                     | {ctx.t("coll.col.rate"): st.column_config.ProgressColumn(format="%.1f%%", min_value=0,
                                                                                 max_value=100)})
        widgets.export_buttons(ctx, table, f"collections-by-{level}-{window}", key="coll_by_export")

# ---- the rep's contracts, and the collection to-do ---------------------------------------------------
else:
    contracts = read(coll.overdue_contracts, ctx.scope, flt, now)
    st.subheader(ctx.t("coll.contracts_title_rep" if own else "coll.contracts_title", name=path.rep[1]))
    if contracts.empty:
        st.info(ctx.t("coll.no_contracts"))
    else:
        table = columns(contracts.drop(columns=["id", "owner_id"]).assign(
            days_overdue=contracts["days_overdue"].map(lambda d: "" if pd.isna(d) else str(int(d)))))  # "" when paid
        st.dataframe(table, hide_index=True, width="stretch", key="coll_contracts",
                     column_config=money_columns("amount", "due", "received", "outstanding"))
        widgets.export_buttons(ctx, table, f"collections-contracts-{path.rep[0]}", key="coll_contracts_export")
        if ctx.may("collection_todo.create"):
            owed = contracts[contracts["outstanding"] > 0]
            options = {int(r.id): ctx.t("coll.todo.option", number=r.number, customer=r.customer,
                                       outstanding=money(r.outstanding),
                                       days="—" if pd.isna(r.days_overdue) else int(r.days_overdue))
                      for r in owed.itertuples()}
            with st.container(border=True, key="coll_todo"):
                st.markdown(f"**{ctx.t('coll.todo.heading')}**")
                if not options:
                    st.write(ctx.t("coll.todo.nothing"))
                else:
                    picked_contract = st.selectbox(
                        ctx.t("coll.todo.pick"), [None, *options], key="coll_todo_contract",
                        format_func=lambda i: ctx.t("coll.todo.pick_none") if i is None else options.get(i, str(i)))

                    def create(contract_id: int) -> None:
                        submit(ctx, FORM, coll.create_collection_todo, contract_id, context.now(),
                               done=lambda r: ctx.t("coll.todo.done", owner=r.owner, title=r.title))

                    st.button(ctx.t("coll.todo.create"), key="coll_todo_create", type="primary",
                              disabled=picked_contract is None, on_click=create, args=(picked_contract,),
                              icon=":material/add_task:")
                field_error(FORM, "contract")
                field_error(FORM, None)
                flash(FORM)

# ---- ageing: what is overdue, by team and how long ----------------------------------------------------
st.subheader(ctx.t("coll.ageing_title"), help=ctx.t("coll.ageing_help"))
aged = read(coll.ageing, ctx.scope, flt, now)
if aged.empty:
    st.info(ctx.t("coll.ageing_none"))
else:
    buckets = [ctx.t(f"coll.bucket.{code}") for code in coll.BUCKETS]
    order = {code: i for i, code in enumerate(coll.BUCKETS)}
    aged_rows = aged.assign(team=aged["team"].fillna(ctx.t("coll.no_team")), order=aged["bucket"].map(order),
                            bucket=aged["bucket"].map(dict(zip(coll.BUCKETS, buckets))))
    st.altair_chart(cash_charts.ageing_chart(aged_rows, buckets, team_title=ctx.t("coll.col.team"),
                                             bucket_title=ctx.t("coll.col.bucket"),
                                             amount_title=ctx.t("coll.col.outstanding")),
                    width="stretch", key="coll_ageing_chart")
    wide = aged_rows.pivot_table(index="team", columns="bucket", values="outstanding", aggfunc="sum", sort=False)
    wide = wide.reindex(columns=buckets).fillna(0.0)
    wide[ctx.t("coll.col.total")] = wide.sum(axis=1)
    wide = wide.reset_index().rename(columns={"team": ctx.t("coll.col.team")})
    st.dataframe(wide, hide_index=True, width="stretch", key="coll_ageing_table",
                 column_config={c: MONEY for c in [*buckets, ctx.t("coll.col.total")]})
    widgets.export_buttons(ctx, wide, "collections-ageing", key="coll_ageing_export")
