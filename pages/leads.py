"""My leads (我的线索): the rep's inbox, most urgent first — overdue rows red, a click on a row shows
its follow-up message ready to copy and the form to log the contact; the entry form (five required
fields) with its duplicate check; the details of a matched customer or lead."""
from datetime import datetime, time, timedelta

import pandas as pd
import streamlit as st

from core.base import org
from core.base.scope import ScopeError
from core.base.vocabulary import CONTACT_KINDS, CONTACT_OUTCOMES, GRADES, HEATS, LEAD_LOG_KINDS, SIZES
from core.leads import desk as leads
from ui import context, page, widgets
from ui.read import minute, read
from ui.read import settings as read_settings
from ui.write import error_of, field_error, flash, submit

ctx = page.open(__file__)
settings = read_settings(ctx.scope)
now = minute()
s = st.session_state
# the entry waiting on its duplicates (entry, matches); a dropped one, to say once that nothing was saved
DUPS, CANCELLED = "lead_dups", "lead_dups_cancelled"
FORM_KEYS = ("le_company", "le_phone", "le_channel", "le_grade", "le_next", "le_contact", "le_industry", "le_size",
             "le_region", "le_owner")
TEXT_KEYS = ("le_company", "le_phone", "le_next", "le_contact", "le_industry")
RED = "background-color: #fdecea; color: #b3261e"


def hours(value: float) -> str:
    return f"{value:g}"


def channel(value: str) -> str:
    return leads.channel_label(ctx.lang, value)


def left(minutes) -> str:
    return leads.time_left_text(ctx.lang, minutes)


# ---- details of an existing customer or lead (opened from the duplicate warning) -----------------

def open_record(kind: str, record_id: int) -> None:
    st.query_params["open"] = f"{kind}:{record_id}"


def close_record() -> None:
    st.query_params.pop("open", None)


def details(kind: str, record_id: int) -> None:
    st.button(ctx.t("leads.detail.back"), icon=":material/arrow_back:", on_click=close_record, key="detail_back")
    if kind == "customer":
        card = read(leads.customer_card, ctx.scope, record_id)
        if card.empty:
            st.warning(ctx.t("leads.detail.missing"))
            return
        c = card.iloc[0]
        st.subheader(ctx.t("leads.detail.customer", name=c["customer"]))
        values = {
            "phone": c["phone"], "industry": c["industry"], "customer_type": c["customer_type"],
            "size": ctx.t(f"leads.size.{c['size']}") if c["size"] in SIZES else c["size"],
            "heat": ctx.t(f"leads.heat.{c['heat']}") if c["heat"] in HEATS else c["heat"],
            "region": c["region"], "team": c["team"], "owner": c["owner"],
            "created_at": stamp(c["created_at"]), "updated_at": stamp(c["updated_at"]),
        }
        with st.container(border=True, key="detail_card"):
            cols = st.columns(3)
            for i, (k, v) in enumerate(values.items()):
                shown_value = "—" if v is None or pd.isna(v) or v == "" else v
                cols[i % 3].markdown(f"{ctx.t(f'leads.col.{k}')}  \n**{shown_value}**")
        related = read(leads.related_leads, ctx.scope, customer_id=record_id)
        st.subheader(ctx.t("leads.detail.leads", n=len(related)))
    else:
        related = read(leads.related_leads, ctx.scope, lead_id=record_id)
        if related.empty:
            st.warning(ctx.t("leads.detail.missing"))
            return
        st.subheader(ctx.t("leads.detail.lead", name=related.iloc[0]["company"]))
    if related.empty:
        st.info(ctx.t("leads.detail.no_leads"))
        return
    shown = related.drop(columns=["id", "owner_id"]).assign(
        status=related["status"].map(lambda v: ctx.t(f"leads.status.{v}")),
        source_channel=related["source_channel"].map(channel),
        **{k: related[k].map(stamp) for k in ("created_at", "first_contact_at", "next_action_at")})
    shown = shown.rename(columns=lambda k: ctx.t(f"leads.col.{k}"))
    st.dataframe(shown, hide_index=True, width="stretch", key="detail_leads")
    widgets.export_buttons(ctx, shown, f"{kind}_{record_id}_leads", key="detail_export")


def stamp(value) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")


def opened() -> tuple[str, int] | None:
    """The record named by ?open=customer:12 (or lead:40), if the link is well-formed."""
    kind, _, rid = str(st.query_params.get("open", "")).partition(":")
    return (kind, int(rid)) if kind in ("customer", "lead") and rid.isdigit() and len(rid) < 12 else None


# ---- the entry form ----------------------------------------------------------------------------------

def entry_from_state() -> leads.LeadEntry:
    day, at = s.get("le_next_date"), s.get("le_next_time")
    return leads.LeadEntry(
        company=s.get("le_company"), phone=s.get("le_phone"), source_channel=s.get("le_channel"),
        grade=s.get("le_grade"), next_action=s.get("le_next"),
        next_action_at=datetime.combine(day, at) if day and at else None,
        contact_name=s.get("le_contact") or "", industry=s.get("le_industry") or "", size=s.get("le_size") or "",
        region_id=s.get("le_region"), owner=s.get("le_owner"))


def saved_text(entry: leads.LeadEntry, lead_id: int) -> str:
    """"Lead saved" with the owner it went to, or that it waits in the pool."""
    owner = read(leads.related_leads, ctx.scope, lead_id=lead_id)
    name = owner.iloc[0]["owner"] if not owner.empty else None
    return (ctx.t("leads.saved", company=entry.company, owner=name) if name and not pd.isna(name)
            else ctx.t("leads.saved_pool", company=entry.company))


def save_entry(entry: leads.LeadEntry, acknowledged: tuple[str, ...] = ()) -> None:
    """Send the entry (a button's callback); possible duplicates not yet confirmed wait in DUPS."""
    try:
        saved = submit(ctx, "entry", leads.enter_lead, entry, context.now(), acknowledged=acknowledged,
                       done=lambda lead_id: saved_text(entry, lead_id))
    except leads.DuplicatesFound as exc:  # nothing written: the user confirms or cancels
        s[DUPS] = (entry, exc.matches)
        return
    if saved:
        s.pop(DUPS, None)
        for key in FORM_KEYS:  # ready for the next lead (date and time stay: often the same day)
            s[key] = "" if key in TEXT_KEYS else None


def submit_entry() -> None:
    s.pop(DUPS, None)
    save_entry(entry_from_state())


def create_anyway() -> None:
    entry, matches = s[DUPS]
    save_entry(entry, tuple(m.key for m in matches))


def cancel_entry() -> None:
    s.pop(DUPS, None)
    s[CANCELLED] = True


def cancelled() -> None:
    """Say once that a dropped duplicate entry saved nothing."""
    if s.pop(CANCELLED, False):
        st.success(ctx.t("leads.dup.cancelled"), icon=":material/check_circle:")


def duplicate_warning() -> None:
    entry, matches = s[DUPS]
    with st.container(border=True, key="dup_box"):
        st.warning(ctx.t("leads.dup.title"), icon=":material/content_copy:")
        st.markdown(ctx.t("leads.dup.intro", company=entry.company))
        for m in matches:
            why = [ctx.t("leads.dup.phone")] if "phone" in m.reasons else []
            if m.similar_name:
                why.append(ctx.t("leads.dup.name", pct=round(100 * m.similarity)))
            if m.mine:
                who = ctx.t("leads.dup.yours")
            elif m.owner_name:
                who = ctx.t("leads.dup.owned_by", owner=m.owner_name)
            else:
                who = ctx.t("leads.dup.pool" if m.kind == "lead" else "leads.dup.nobody")
            line = (f"**{m.name}** · {ctx.t(f'leads.dup.{m.kind}')} · {who} · "
                    f"{ctx.t('list.sep').join(why)}")
            c1, c2 = st.columns([5, 1], vertical_alignment="center")
            c1.markdown(line)
            if m.in_scope:
                kind, rid = ("customer", m.customer_id) if m.customer_id else ("lead", m.record_id)
                c2.button(ctx.t("leads.dup.open"), key=f"dup_open_{m.key}", icon=":material/open_in_new:",
                          on_click=open_record, args=(kind, rid))
        st.caption(ctx.t("leads.dup.question"))
        b1, b2 = st.columns(2)
        b1.button(ctx.t("leads.dup.create"), type="primary", key="dup_create", on_click=create_anyway,
                  icon=":material/add_circle:")
        b2.button(ctx.t("leads.dup.cancel"), key="dup_cancel", on_click=cancel_entry)


def entry_form() -> None:
    grade_label = {g: ctx.t(f"leads.grade.{g}", hours=hours(settings[f"grade_{g.lower()}_hours"])) for g in GRADES}
    with st.form("lead_entry", border=True):
        field_error("entry", None)
        st.text_input(ctx.t("leads.f.company"), key="le_company", max_chars=leads.COMPANY_MAX)
        field_error("entry", "company")
        st.text_input(ctx.t("leads.f.phone"), key="le_phone", max_chars=40, placeholder=ctx.t("leads.f.phone_hint"))
        field_error("entry", "phone")
        st.selectbox(ctx.t("leads.f.source_channel"), list(leads.SOURCE_CHANNELS), format_func=channel, index=None,
                     key="le_channel", placeholder="—")
        field_error("entry", "source_channel")
        st.radio(ctx.t("leads.f.grade"), GRADES, index=None, key="le_grade", format_func=grade_label.get,
                 help=ctx.t("leads.grade.help", hours=hours(settings["first_response_hours"])))
        field_error("entry", "grade")
        st.text_input(ctx.t("leads.f.next_action"), key="le_next", max_chars=leads.NEXT_ACTION_MAX,
                      placeholder=ctx.t("leads.f.next_action_hint"))
        field_error("entry", "next_action")
        d1, d2 = st.columns(2)
        d1.date_input(ctx.t("leads.f.next_date"), value=now.date(), key="le_next_date", format="YYYY-MM-DD",
                      min_value=now.date(), max_value=now.date() + timedelta(days=leads.NEXT_ACTION_MAX_DAYS))
        d2.time_input(ctx.t("leads.f.next_time"), value=(now + timedelta(hours=1)).replace(minute=0).time(),
                      key="le_next_time", step=timedelta(minutes=15))
        field_error("entry", "next_action_at")
        if not ctx.scope.own_only:  # a rep's lead is their own; others give it to a rep or to the routing
            reps = read(org.active_reps, ctx.scope)
            several = reps["team_id"].nunique() > 1
            names = {leads.AUTO: ctx.t("leads.f.auto")}
            names.update({int(r.id): f"{r.display_name} · {r.team}" if several else r.display_name
                          for r in reps.itertuples()})
            st.selectbox(ctx.t("leads.f.owner"), list(names), format_func=names.get, index=None, key="le_owner",
                         placeholder="—")
            field_error("entry", "owner")
        with st.expander(ctx.t("leads.f.more")):
            st.text_input(ctx.t("leads.f.contact_name"), key="le_contact", max_chars=leads.CONTACT_MAX)
            field_error("entry", "contact_name")
            e1, e2 = st.columns(2)
            e1.text_input(ctx.t("leads.f.industry"), key="le_industry", max_chars=leads.INDUSTRY_MAX)
            e2.selectbox(ctx.t("leads.f.size"), SIZES, format_func=lambda v: ctx.t(f"leads.size.{v}"), index=None,
                         key="le_size", placeholder="—")
            regions = read(org.regions, ctx.scope)
            region_names = dict(zip(regions["id"].astype(int), regions["name"]))
            st.selectbox(ctx.t("leads.f.region_id"), list(region_names), format_func=region_names.get, index=None,
                         key="le_region", placeholder="—")
            field_error("entry", "region_id")
        st.form_submit_button(ctx.t("leads.f.submit"), type="primary", on_click=submit_entry,
                              icon=":material/person_search:")
    if s.get(DUPS):
        duplicate_warning()


# ---- the inbox -------------------------------------------------------------------------------------

def log_contact(lead_id: int, version: int, company: str) -> None:
    p = f"log_{lead_id}_"
    day, at = s.get(p + "date"), s.get(p + "time")
    kind, outcome, next_action = s.get(p + "kind"), s.get(p + "outcome") or "follow_up", s.get(p + "next")

    def logged(_) -> str:
        if outcome == "lost":
            return ctx.t("leads.log.saved_closed", company=company)
        return ctx.t("leads.log.saved", company=company, kind=ctx.t(f"leads.kind.{kind}"), next_action=next_action)

    if submit(ctx, f"log{lead_id}", leads.log_contact, lead_id, kind=kind, note=s.get(p + "note"),
              next_action=next_action, next_action_at=datetime.combine(day, at) if day and at else None,
              now=context.now(), version=version, outcome=outcome, done=logged):
        s[p + "kind"], s[p + "note"], s[p + "next"] = None, "", ""


def log_form(row) -> None:
    p = f"log_{row.id}_"
    with st.form(f"log_form_{row.id}", border=True):
        st.markdown(f"**{ctx.t('leads.log')}**")
        field_error(f"log{row.id}", None)
        field_error(f"log{row.id}", "lead_id")
        kinds = LEAD_LOG_KINDS if pd.notna(row.first_contact_at) else CONTACT_KINDS
        st.radio(ctx.t("leads.log.kind"), kinds, format_func=lambda k: ctx.t(f"leads.kind.{k}"), index=None,
                 horizontal=True, key=p + "kind")
        field_error(f"log{row.id}", "kind")
        st.text_input(ctx.t("leads.log.note"), key=p + "note", max_chars=leads.NOTE_MAX)
        field_error(f"log{row.id}", "note")
        st.text_input(ctx.t("leads.log.next_action"), key=p + "next", max_chars=leads.NEXT_ACTION_MAX)
        field_error(f"log{row.id}", "next_action")
        d1, d2 = st.columns(2)
        d1.date_input(ctx.t("leads.log.next_date"), value=(now + timedelta(days=1)).date(), key=p + "date",
                      format="YYYY-MM-DD", min_value=now.date(),
                      max_value=now.date() + timedelta(days=leads.NEXT_ACTION_MAX_DAYS))
        d2.time_input(ctx.t("leads.log.next_time"), value=time(10, 0), key=p + "time", step=timedelta(minutes=15))
        field_error(f"log{row.id}", "next_action_at")
        st.selectbox(ctx.t("leads.log.outcome"), CONTACT_OUTCOMES, format_func=lambda k: ctx.t(f"leads.outcome.{k}"),
                     key=p + "outcome")
        st.form_submit_button(ctx.t("leads.log.submit"), type="primary", icon=":material/save:", on_click=log_contact,
                              args=(int(row.id), int(row.version), row.company))


def inbox_table(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({  # company and time left first: what a phone shows without scrolling sideways
        "company": df["company"],
        "time_left": [left(None if pd.isna(h) else round(h * 60)) for h in df["hours_left"]],
        "grade": df["grade"],
        "status": df["status"].map(lambda v: ctx.t(f"leads.status.{v}")),
        "window": df["window"].map(lambda v: ctx.t(f"leads.window.{v}")),
        "next_action": df["next_action"],
        "next_action_at": df["next_action_at"].dt.strftime("%Y-%m-%d %H:%M").fillna(""),
        "phone": df["phone"],
    })


def inbox() -> None:
    df = read(leads.my_leads, ctx.scope, now)
    st.subheader(ctx.t("leads.inbox"))
    if df.empty:
        st.info(ctx.t("leads.none"))
        flash()  # a contact just logged (the entry's message showed above)
        return
    m1, m2, m3 = st.columns(3)
    m1.metric(ctx.t("leads.metric.open"), len(df), border=True)
    m2.metric(ctx.t("leads.metric.overdue"), df.attrs["overdue"], border=True)
    m3.metric(ctx.t("leads.metric.due_soon"), df.attrs["due_soon"], border=True)
    table = inbox_table(df)
    shown = table.rename(columns=lambda k: ctx.t(f"leads.col.{k}"))
    overdue = df["overdue"].to_numpy()
    styled = shown.style.apply(lambda row: [RED if overdue[row.name] else ""] * len(row), axis=1)
    event = st.dataframe(styled, hide_index=True, width="stretch", key="lead_inbox", on_select="rerun",
                         selection_mode="single-row", height=min(420, 38 + 35 * len(df)))
    widgets.export_buttons(ctx, shown, "my_leads", key="leads_export")
    rows = event.selection.rows if event is not None else []
    pick = rows[0] if rows and rows[0] < len(df) else 0
    row = df.iloc[pick]
    st.caption(ctx.t("leads.pick_hint"))
    st.markdown("#### " + ctx.t("leads.selected", company=row["company"], grade=row["grade"],
                                left=left(None if pd.isna(row["hours_left"]) else round(row["hours_left"] * 60))))
    if row["deadline"] is not None and not pd.isna(row["deadline"]):
        st.caption(ctx.t("leads.deadline_for", window=ctx.t(f"leads.window.{row['window']}"),
                         when=leads.when_text(ctx.lang, row["deadline"])))
    flash()  # a contact just logged (the entry's message showed above)
    c1, c2 = st.columns(2)
    with c1:
        st.markdown(f"**{ctx.t('leads.message')}**")
        text = leads.message(ctx.lang, row["situation"], rep=ctx.account.display_name, company=row["company"],
                             contact_name=row["contact_name"], channel=row["source_channel"],
                             next_action=row["next_action"],
                             next_action_at=None if pd.isna(row["next_action_at"]) else row["next_action_at"],
                             deadline=None if pd.isna(row["deadline"]) else row["deadline"])
        st.code(text, language=None, wrap_lines=True)
        st.caption(ctx.t("leads.message_help", situation=ctx.t(f"leads.situation.{row['situation']}")))
    with c2:
        log_form(row)


# ---- the page ----------------------------------------------------------------------------------------

st.title(ctx.t("leads.title"))
st.caption(ctx.t("leads.caption.rep" if ctx.scope.own_only else "leads.caption.other"))
try:
    target = opened()
    if target is not None:
        details(*target)
        st.stop()
    with st.expander(ctx.t("leads.new"), icon=":material/add_circle:",
                     expanded=not ctx.scope.own_only or bool(s.get(DUPS)) or error_of("entry") is not None):
        entry_form()
    flash("entry")
    cancelled()
    inbox()
except ScopeError:
    st.error(ctx.t("err.forbidden"))
